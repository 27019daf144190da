package io.cassandraoperator.local.apiserver.auth;

import io.cassandraoperator.local.apiserver.ApiError;
import io.fabric8.kubernetes.api.model.authorization.v1.NonResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code SelfSubjectAccessReview} (authorization.k8s.io/v1), what {@code kubectl auth can-i} asks: would the requester
 * be allowed this request? Answered (as JSON) by the same authorizer that guards every request, never stored.
 */
public final class AccessReviews {
    public static final String SELF_SUBJECT_ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

    private final RbacAuthorizer authorizer;

    public AccessReviews(RbacAuthorizer authorizer) {
        this.authorizer = authorizer;
    }

    /**
     * @param contentType JSON, or protobuf as kubectl sends it
     * @throws ApiError 400 for a body that is not a review, 422 without resource or non-resource attributes
     */
    public SelfSubjectAccessReview review(RequestUser requester, String contentType, byte[] body) {
        SelfSubjectAccessReview review;
        if (ProtobufAccessReview.isProtobuf(contentType)) {
            review = ProtobufAccessReview.read(body);
        } else {
            try {
                review = Serialization.unmarshal(new String(body, StandardCharsets.UTF_8), SelfSubjectAccessReview.class);
            } catch (RuntimeException e) {
                throw new ApiError(400, "BadRequest", "the body is not a SelfSubjectAccessReview: " + e.getMessage(),
                        null, null, List.of());
            }
        }
        if (review.getSpec() == null
                || (review.getSpec().getResourceAttributes() == null) == (review.getSpec().getNonResourceAttributes() == null)) {
            throw ApiError.invalid("SelfSubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.resourceAttributes:"
                    + " Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified");
        }
        AuthorizationDecision decision = authorizer.authorize(attributes(requester, review));
        review.setStatus(new SubjectAccessReviewStatusBuilder().withAllowed(decision.allowed())
                .withReason(decision.reason().isEmpty() ? null : decision.reason()).build());
        return review;
    }

    private static RequestAttributes attributes(RequestUser user, SelfSubjectAccessReview review) {
        ResourceAttributes r = review.getSpec().getResourceAttributes();
        if (r != null) {
            return new RequestAttributes(user, orEmpty(r.getVerb()), true, orEmpty(r.getGroup()), orEmpty(r.getVersion()),
                    orEmpty(r.getResource()), orEmpty(r.getSubresource()), orEmpty(r.getNamespace()),
                    orEmpty(r.getName()), "");
        }
        NonResourceAttributes n = review.getSpec().getNonResourceAttributes();
        return new RequestAttributes(user, orEmpty(n.getVerb()), false, "", "", "", "", "", "", orEmpty(n.getPath()));
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
