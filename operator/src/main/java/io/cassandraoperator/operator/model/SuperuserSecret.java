package io.cassandraoperator.operator.model;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.Names;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code <cluster>-superuser}: the Cassandra superuser role the agents create and every client logs in with. Created
 * once when absent and never overwritten, so a user who creates it first keeps their own password.
 */
public final class SuperuserSecret {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** 32 random bytes: 43 URL-safe characters, so the password needs no quoting in a shell, a URL or CQL. */
    private static final int PASSWORD_BYTES = 32;

    private SuperuserSecret() {
    }

    public static String name(Cluster cluster) {
        return Names.superuserSecret(cluster.getMetadata().getName());
    }

    /** The role is named like the Secret: unique per cluster and never the well-known default {@code cassandra}. */
    public static Secret build(Cluster cluster, String password) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(Contract.SuperuserSecret.USERNAME, base64(name(cluster)));
        data.put(Contract.SuperuserSecret.PASSWORD, base64(password));
        return new SecretBuilder()
                .withMetadata(ChildMetadata.retained(cluster, name(cluster), ClusterLabels.cluster(cluster)))
                .withType("Opaque")
                .withData(data)
                .build();
    }

    public static String newPassword() {
        byte[] bytes = new byte[PASSWORD_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
