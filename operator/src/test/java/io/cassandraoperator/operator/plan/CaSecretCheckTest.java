package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.operator.TestClusters;
import io.cassandraoperator.operator.model.CertificateAuthority;
import io.cassandraoperator.operator.model.ClusterCaSecrets;
import io.cassandraoperator.operator.model.MemberCertificate;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CaSecretCheckTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private final Cluster cluster = TestClusters.cluster("c", "ns", 3);
    private final CertificateAuthority ca = CertificateAuthority.generate("ns", "c", NOW.minus(Duration.ofDays(1)), Duration.ofDays(100));

    private static void assertRefused(Secret secret, String words) {
        assertThat(CaSecretCheck.refusal(secret, NOW)).hasValueSatisfying(refusal -> {
            assertThat(refusal.reason()).isEqualTo(EventReason.CertificateAuthorityInvalid);
            assertThat(refusal.message()).contains(words).contains("no member is changed");
        });
    }

    @Test
    void aValidCaOrNoneIsAccepted() {
        assertThat(CaSecretCheck.refusal(ClusterCaSecrets.ca(cluster, ca), NOW)).isEmpty();
        assertThat(CaSecretCheck.refusal(null, NOW)).isEmpty();
    }

    @Test
    void missingKeysAreNamed() {
        Secret secret = ClusterCaSecrets.ca(cluster, ca);
        secret.setData(Map.of("ca.crt", secret.getData().get("ca.crt")));
        assertRefused(secret, "has no key ca.key");
        secret.setData(Map.of("ca.key", ClusterCaSecrets.ca(cluster, ca).getData().get("ca.key")));
        assertRefused(secret, "has no key ca.crt");
    }

    @Test
    void textThatIsNoCertificateIsRefused() {
        Secret secret = ClusterCaSecrets.ca(cluster, ca);
        Map<String, String> data = new java.util.HashMap<>(secret.getData());
        data.put("ca.crt", java.util.Base64.getEncoder().encodeToString("not pem".getBytes()));
        secret.setData(data);
        assertRefused(secret, "holds no usable CA");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() {
        CertificateAuthority other = CertificateAuthority.generate("ns", "c", NOW, Duration.ofDays(100));
        assertRefused(ClusterCaSecrets.ca(cluster, new CertificateAuthority(ca.certificate(), other.key())), "does not belong");
    }

    @Test
    void anExpiredOrNotYetValidCaIsRefused() {
        CertificateAuthority expired = CertificateAuthority.generate("ns", "c", NOW.minus(Duration.ofDays(10)), Duration.ofDays(2));
        assertRefused(ClusterCaSecrets.ca(cluster, expired), "expired at");
        CertificateAuthority future = CertificateAuthority.generate("ns", "c", NOW.plus(Duration.ofDays(10)), Duration.ofDays(2));
        assertRefused(ClusterCaSecrets.ca(cluster, future), "not valid before");
    }

    @Test
    void aCertificateThatIsNoCaIsRefused() {
        MemberCertificate member = ca.issue("m", List.of("10.0.0.1"), NOW, Duration.ofDays(10));
        assertRefused(ClusterCaSecrets.ca(cluster, new CertificateAuthority(member.certificate(), member.key())), "not a CA certificate");
    }
}
