package io.cassandraoperator.local.apiserver;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;

/**
 * {@code POST /apis/authorization.k8s.io/v1/selfsubjectrulesreviews}: what the caller may do. This API server
 * authorizes every request, so the answer is kube-apiserver's for its AlwaysAllow authorizer: every verb on every
 * resource and URL, complete. JOSDK asks it before it takes part in leader election (may it get, create and update
 * Leases?), so without it an operator with a Lease would not start here.
 */
final class SelfSubjectRulesReviews {
    static final String PATH = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";

    private SelfSubjectRulesReviews() {
    }

    static MockResponse create(String body) {
        SelfSubjectRulesReview review;
        try {
            review = Serialization.unmarshal(body, SelfSubjectRulesReview.class);
        } catch (RuntimeException e) {
            throw ApiError.invalid("the body is not a SelfSubjectRulesReview: " + e.getMessage());
        }
        if (review == null || review.getSpec() == null || review.getSpec().getNamespace() == null
                || review.getSpec().getNamespace().isEmpty()) {
            throw ApiError.invalid("SelfSubjectRulesReview is invalid: spec.namespace: Required value");
        }
        SelfSubjectRulesReview answer = new SelfSubjectRulesReviewBuilder(review)
                .withNewStatus().withIncomplete(false)
                    .addNewResourceRule().withVerbs("*").withApiGroups("*").withResources("*").endResourceRule()
                    .addNewNonResourceRule().withVerbs("*").withNonResourceURLs("*").endNonResourceRule()
                .endStatus().build();
        return JsonBodies.response(201, answer);
    }

    static boolean isReviewPath(String path) {
        return PATH.equals(RequestPath.withoutQuery(path));
    }
}
