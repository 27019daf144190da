package io.cassandraoperator.agent.config;

import io.cassandraoperator.api.Contract;

import java.util.Map;
import java.util.Optional;

/** The superuser role the operator's Secret names; its password never appears in a log line or a message. */
public record SuperuserCredentials(String username, String password) {

    /** Both variables set: credentials; neither: none (Cassandra keeps AllowAll); one alone: a broken pod template. */
    static Optional<SuperuserCredentials> fromEnvironment(Map<String, String> env) {
        String username = blankToNull(env.get(Contract.Env.SUPERUSER_USERNAME));
        String password = blankToNull(env.get(Contract.Env.SUPERUSER_PASSWORD));
        if (username == null && password == null) {
            return Optional.empty();
        }
        if (username == null || password == null) {
            throw new IllegalArgumentException(Contract.Env.SUPERUSER_USERNAME + " and " + Contract.Env.SUPERUSER_PASSWORD
                    + " must be set together (" + (username == null ? Contract.Env.SUPERUSER_USERNAME : Contract.Env.SUPERUSER_PASSWORD)
                    + " is missing)");
        }
        return Optional.of(new SuperuserCredentials(username, password));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    @Override
    public String toString() {
        return "SuperuserCredentials[username=" + username + ", password hidden]";
    }
}
