package io.cassandraoperator.operator.model;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract.AgentSecret;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/** {@code <cluster>-agent}: the bearer token the operator presents to the agents. Created once, never rotated by a reconcile. */
public final class AgentTokenSecret {
    private static final SecureRandom RANDOM = new SecureRandom();

    private AgentTokenSecret() {
    }

    public static String name(Cluster cluster) {
        return cluster.getMetadata().getName() + AgentSecret.SUFFIX;
    }

    public static Secret build(Cluster cluster, String token) {
        return new SecretBuilder()
                .withMetadata(ChildMetadata.retained(cluster, name(cluster), ClusterLabels.cluster(cluster)))
                .withType("Opaque")
                .withData(Map.of(AgentSecret.TOKEN, Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8))))
                .build();
    }

    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String token(Secret secret) {
        String encoded = secret.getData() == null ? null : secret.getData().get(AgentSecret.TOKEN);
        if (encoded != null) {
            return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).trim();
        }
        return secret.getStringData() == null ? null : secret.getStringData().get(AgentSecret.TOKEN);
    }
}
