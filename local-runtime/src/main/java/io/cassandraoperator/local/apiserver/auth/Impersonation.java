package io.cassandraoperator.local.apiserver.auth;

import io.cassandraoperator.local.apiserver.ApiError;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code Impersonate-User} and {@code Impersonate-Group} ({@code kubectl --as}, {@code --as-group}), as
 * kube-apiserver's impersonation filter serves them: the requester must be allowed to {@code impersonate} the user
 * (a ServiceAccount's user as {@code serviceaccounts} in its namespace, any other as {@code users}) and each group;
 * the request then runs as that user, with the groups asked for, or a ServiceAccount's groups when none are, plus
 * {@code system:authenticated}.
 */
final class Impersonation {
    static final String USER_HEADER = "Impersonate-User";
    static final String GROUP_HEADER = "Impersonate-Group";

    private final RbacAuthorizer authorizer;

    Impersonation(RbacAuthorizer authorizer) {
        this.authorizer = authorizer;
    }

    /**
     * @return the user the request runs as: the requester when it impersonates no one
     * @throws ApiError 403 when the requester may not impersonate that user or a group
     */
    RequestUser apply(RequestUser requester, String user, List<String> groups) {
        if (user == null || user.isEmpty()) {
            if (!groups.isEmpty()) {
                throw new ApiError(500, "InternalError", "Internal error occurred: requested groups " + groups
                        + " without impersonating a user", null, null, List.of());
            }
            return requester;
        }
        Optional<RequestUser.ServiceAccountName> account = RequestUser.ServiceAccountName.of(user);
        check(account.map(sa -> impersonate(requester, "serviceaccounts", sa.namespace(), sa.name()))
                .orElseGet(() -> impersonate(requester, "users", "", user)));
        for (String group : groups) {
            check(impersonate(requester, "groups", "", group));
        }
        List<String> effective = new ArrayList<>(groups);
        if (groups.isEmpty() && account.isPresent()) {
            effective.addAll(RequestUser.serviceAccount(account.get().namespace(), account.get().name()).groups());
        }
        if (!effective.contains(RequestUser.AUTHENTICATED)) {
            effective.add(RequestUser.AUTHENTICATED);
        }
        return new RequestUser(user, effective);
    }

    private static RequestAttributes impersonate(RequestUser requester, String resource, String namespace, String name) {
        return new RequestAttributes(requester, "impersonate", true, "", "", resource, "", namespace, name, "");
    }

    private void check(RequestAttributes request) {
        AuthorizationDecision decision = authorizer.authorize(request);
        if (!decision.allowed()) {
            throw AccessRefusals.forbidden(request, decision.reason());
        }
    }
}
