package io.cassandraoperator.operator.model;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract.Labels;
import io.cassandraoperator.operator.TestClusters;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SuperuserSecretTest {
    private final Cluster cluster = TestClusters.cluster("cass", "ns", 3);

    @Test
    void passwordsAreLongUrlSafeAndNeverRepeat() {
        Set<String> passwords = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String password = SuperuserSecret.newPassword();
            assertThat(password).hasSizeGreaterThanOrEqualTo(24).matches("[A-Za-z0-9_-]+");
            passwords.add(password);
        }
        assertThat(passwords).hasSize(100);
    }

    @Test
    void secretHoldsTheRoleNamedAfterTheClusterAndThePasswordAndOutlivesTheCluster() {
        Secret secret = SuperuserSecret.build(cluster, "s3cret-Pass_word");
        assertThat(secret.getMetadata().getName()).isEqualTo("cass-superuser");
        assertThat(secret.getMetadata().getNamespace()).isEqualTo("ns");
        assertThat(secret.getMetadata().getLabels()).containsEntry(Labels.CLUSTER, "cass")
                .containsEntry(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        // No owner: a deleted Cluster keeps it, and one recreated from the same file logs in with the same password.
        assertThat(secret.getMetadata().getOwnerReferences()).isNullOrEmpty();
        assertThat(secret.getData()).containsOnlyKeys("username", "password");
        assertThat(decode(secret, "username")).isEqualTo("cass-superuser");
        assertThat(decode(secret, "password")).isEqualTo("s3cret-Pass_word");
        assertThat(secret.getStringData()).isNullOrEmpty();
    }

    private static String decode(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
}
