package io.cassandraoperator.local.apiserver.auth;

import io.cassandraoperator.local.apiserver.ApiError;
import io.fabric8.kubernetes.api.model.authorization.v1.NonResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code SelfSubjectRulesReview} (authorization.k8s.io/v1): what may the requester do in a namespace? JOSDK asks it
 * before it joins leader election (may it get, create and update Leases?), {@code kubectl auth can-i --list} too.
 * Answered from the same RBAC objects that guard every request, never stored.
 */
public final class RulesReviews {
    public static final String SELF_SUBJECT_RULES_REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";

    private final RbacAuthorizer authorizer;

    public RulesReviews(RbacAuthorizer authorizer) {
        this.authorizer = authorizer;
    }

    /** @throws ApiError 400 for a body that is not a review, 422 without a namespace */
    public SelfSubjectRulesReview review(RequestUser requester, byte[] body) {
        SelfSubjectRulesReview review;
        try {
            review = Serialization.unmarshal(new String(body, StandardCharsets.UTF_8), SelfSubjectRulesReview.class);
        } catch (RuntimeException e) {
            throw new ApiError(400, "BadRequest", "the body is not a SelfSubjectRulesReview: " + e.getMessage(),
                    null, null, List.of());
        }
        if (review == null || review.getSpec() == null || review.getSpec().getNamespace() == null
                || review.getSpec().getNamespace().isEmpty()) {
            throw ApiError.invalid("SelfSubjectRulesReview is invalid: spec.namespace: Required value");
        }
        RbacAuthorizer.RulesForUser found = authorizer.rules(requester, review.getSpec().getNamespace());
        SubjectRulesReviewStatusBuilder status = new SubjectRulesReviewStatusBuilder()
                .withIncomplete(!found.errors().isEmpty())
                .withEvaluationError(found.errors().isEmpty() ? null : String.join(", ", found.errors()));
        for (PolicyRule rule : found.rules()) {
            if (rule.getNonResourceURLs() != null && !rule.getNonResourceURLs().isEmpty()) {
                status.addToNonResourceRules(new NonResourceRuleBuilder().withVerbs(rule.getVerbs())
                        .withNonResourceURLs(rule.getNonResourceURLs()).build());
            } else {
                status.addToResourceRules(new ResourceRuleBuilder().withVerbs(rule.getVerbs())
                        .withApiGroups(rule.getApiGroups()).withResources(rule.getResources())
                        .withResourceNames(rule.getResourceNames()).build());
            }
        }
        review.setStatus(status.build());
        return review;
    }
}
