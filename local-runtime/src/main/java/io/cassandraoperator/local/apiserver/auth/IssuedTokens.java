package io.cassandraoperator.local.apiserver.auth;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The bearer tokens this runtime issued, each to one user, as kube-apiserver's static token file maps tokens to
 * users: kept in one file (mode 0600) under the state directory, so the kubeconfigs written with them stay valid
 * across a restart of the runtime. A token is 32 random bytes; it is never logged.
 */
public final class IssuedTokens {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One line of the token file. */
    record IssuedToken(String token, String user, List<String> groups) {
    }

    private final Path file;
    private final List<IssuedToken> tokens = new ArrayList<>();

    public IssuedTokens(Path file) {
        this.file = file;
        if (Files.exists(file)) {
            try {
                tokens.addAll(Serialization.jsonMapper().readValue(file.toFile(), new TypeReference<List<IssuedToken>>() {
                }));
            } catch (IOException e) {
                throw new UncheckedIOException("the token file " + file + " does not parse", e);
            }
        }
    }

    /** The token of this user, issued now if it has none. */
    public synchronized String tokenOf(RequestUser user) {
        for (IssuedToken t : tokens) {
            if (t.user().equals(user.name()) && t.groups().equals(user.groups())) {
                return t.token();
            }
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        tokens.add(new IssuedToken(token, user.name(), user.groups()));
        save();
        return token;
    }

    /** The user a token was issued to. */
    public synchronized Optional<RequestUser> userOf(String token) {
        return tokens.stream().filter(t -> t.token().equals(token)).findFirst()
                .map(t -> new RequestUser(t.user(), t.groups()));
    }

    private void save() {
        try {
            PrivateFile.write(file, Serialization.asJson(tokens));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
