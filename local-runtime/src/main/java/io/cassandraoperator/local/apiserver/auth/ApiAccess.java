package io.cassandraoperator.local.apiserver.auth;

import io.cassandraoperator.local.apiserver.ApiError;
import io.cassandraoperator.local.apiserver.storage.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Function;

/**
 * The door of every request, in kube-apiserver's order: authentication (a bearer token this runtime issued, else
 * 401), impersonation, then authorization by RBAC (else 403 with the real message). Denials are logged at INFO with
 * their message, so a missing verb in a Role shows in the runtime's log as well as in the caller's.
 */
public final class ApiAccess {
    private static final Logger LOG = LoggerFactory.getLogger(ApiAccess.class);

    private final IssuedTokens tokens;
    private final TokenAuthenticator authenticator;
    private final RbacAuthorizer authorizer;
    private final Impersonation impersonation;

    public ApiAccess(IssuedTokens tokens, ObjectStore store) {
        this.tokens = tokens;
        this.authenticator = new TokenAuthenticator(tokens, store);
        this.authorizer = new RbacAuthorizer(store);
        this.impersonation = new Impersonation(authorizer);
    }

    public IssuedTokens tokens() {
        return tokens;
    }

    public RbacAuthorizer authorizer() {
        return authorizer;
    }

    /**
     * @param headers a request header's values by name (case-insensitive), empty when absent
     * @return what the request may do, as whom
     * @throws ApiError 401, 403 (or 500 for an impersonation of groups without a user)
     */
    public RequestAttributes admit(String method, String uri, Function<String, List<String>> headers) {
        List<String> authorization = headers.apply("Authorization");
        RequestUser requester = authenticator.authenticate(authorization.isEmpty() ? null : authorization.get(0))
                .orElseThrow(() -> {
                    LOG.info("401 for {} {}: {}", method, uri, authorization.isEmpty() ? "no bearer token"
                            : "a token this runtime did not issue (or whose ServiceAccount is gone)");
                    return AccessRefusals.unauthorized();
                });
        List<String> asUser = headers.apply(Impersonation.USER_HEADER);
        RequestUser user;
        try {
            user = impersonation.apply(requester, asUser.isEmpty() ? null : asUser.get(0),
                    headers.apply(Impersonation.GROUP_HEADER));
        } catch (ApiError e) {
            LOG.info("403 for {} {}: {}", method, uri, e.getMessage());
            throw e;
        }
        RequestAttributes request = RequestAttributes.of(user, method, uri);
        AuthorizationDecision decision = authorizer.authorize(request);
        if (!decision.allowed()) {
            ApiError refusal = AccessRefusals.forbidden(request, decision.reason());
            LOG.info("403 for {} {}: {}", method, uri, refusal.getMessage());
            throw refusal;
        }
        return request;
    }
}
