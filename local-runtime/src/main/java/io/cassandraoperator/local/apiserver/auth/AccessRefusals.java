package io.cassandraoperator.local.apiserver.auth;

import io.cassandraoperator.local.apiserver.ApiError;
import io.fabric8.kubernetes.api.model.StatusBuilder;

/** The API server's 401 and 403 answers, worded as kube-apiserver words them. */
final class AccessRefusals {
    private AccessRefusals() {
    }

    static ApiError unauthorized() {
        return new ApiError(new StatusBuilder().withNewMetadata().endMetadata().withStatus("Failure").withCode(401)
                .withReason("Unauthorized").withMessage("Unauthorized").build());
    }

    /**
     * {@code services is forbidden: User "u" cannot create resource "services" in API group "" in the namespace "ns"},
     * {@code <resource>.<group> "<name>" is forbidden: ...} when the request names an object.
     */
    static ApiError forbidden(RequestAttributes request, String reason) {
        String message = "User \"" + request.user().name() + "\" cannot " + request.verb();
        if (!request.resourceRequest()) {
            message += " path \"" + request.path() + "\"";
        } else {
            message += " resource \"" + request.resourceWithSubresource() + "\" in API group \"" + request.apiGroup()
                    + "\"" + (request.namespace().isEmpty() ? " at the cluster scope"
                    : " in the namespace \"" + request.namespace() + "\"");
        }
        if (!reason.isEmpty()) {
            message += ": " + reason;
        }
        String qualified = request.apiGroup().isEmpty() ? request.resource()
                : request.resource() + "." + request.apiGroup();
        String full;
        if (qualified.isEmpty()) {
            full = "forbidden: " + message;
        } else if (request.name().isEmpty()) {
            full = qualified + " is forbidden: " + message;
        } else {
            full = qualified + " \"" + request.name() + "\" is forbidden: " + message;
        }
        return new ApiError(new StatusBuilder().withNewMetadata().endMetadata().withStatus("Failure").withCode(403)
                .withReason("Forbidden").withMessage(full).withNewDetails().withGroup(request.apiGroup())
                .withKind(request.resource()).withName(request.name()).endDetails().build());
    }
}
