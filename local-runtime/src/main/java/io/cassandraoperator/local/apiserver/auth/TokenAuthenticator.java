package io.cassandraoperator.local.apiserver.auth;

import io.cassandraoperator.local.apiserver.storage.ObjectStore;

import java.util.Optional;

/**
 * Authenticates a request by its bearer token, as kube-apiserver's token authenticators do: the token must be one
 * this runtime issued, and a ServiceAccount's token is valid only while that ServiceAccount exists (as a bound token
 * is), so deleting the ServiceAccount locks its holder out.
 */
final class TokenAuthenticator {
    private static final String BEARER = "bearer ";

    private final IssuedTokens tokens;
    private final ObjectStore store;

    TokenAuthenticator(IssuedTokens tokens, ObjectStore store) {
        this.tokens = tokens;
        this.store = store;
    }

    /** @param authorization the request's {@code Authorization} header, or null */
    Optional<RequestUser> authenticate(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return tokens.userOf(authorization.substring(BEARER.length()).trim()).filter(this::accountExists);
    }

    private boolean accountExists(RequestUser user) {
        return user.serviceAccount().map(sa -> store.find(store.key("/api/v1/namespaces/" + sa.namespace()
                + "/serviceaccounts/" + sa.name())) != null).orElse(true);
    }
}
