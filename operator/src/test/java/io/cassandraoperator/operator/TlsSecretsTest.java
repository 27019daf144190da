package io.cassandraoperator.operator;

import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.operator.model.CertificateAuthority;
import io.cassandraoperator.operator.model.ClusterCaSecrets;
import io.cassandraoperator.operator.model.Pem;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static io.cassandraoperator.operator.OperatorHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 19 on the mock API: a new Cluster gets its CA, the CA's public copy and a certificate per member naming the
 * member Service's ClusterIP before the member's pod exists; a CA Secret that is already there is used, never replaced.
 */
class TlsSecretsTest {
    private static final Duration STEP = Duration.ofSeconds(30);

    @RegisterExtension
    final OperatorHarness harness = new OperatorHarness();

    private Secret secret(String name) {
        return harness.api.client.secrets().inNamespace(NAMESPACE).withName(name).get();
    }

    private static String text(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)));
    }

    @Test
    void aNewClusterGetsItsCaAndACertificatePerMemberForItsClusterIp() throws Exception {
        harness.createReady("c", 3);

        Secret ca = secret("c-ca");
        Secret caCert = secret("c-ca-cert");
        Secret members = secret("c-member-tls");
        assertThat(ca.getData()).containsOnlyKeys("ca.crt", "ca.key");
        assertThat(caCert.getData()).containsOnlyKeys("ca.crt");
        assertThat(text(caCert, "ca.crt")).isEqualTo(text(ca, "ca.crt"));
        X509Certificate authority = Pem.readCertificate(text(ca, "ca.crt"));
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            String member = "c-dc1-rack1-" + ordinal;
            Service service = harness.api.client.services().inNamespace(NAMESPACE).withName(member).get();
            X509Certificate certificate = Pem.readCertificate(text(members, member + ".crt"));
            certificate.verify(authority.getPublicKey());
            Set<String> names = new HashSet<>();
            certificate.getSubjectAlternativeNames().forEach(n -> names.add(String.valueOf(n.get(1))));
            assertThat(names).contains(service.getSpec().getClusterIP(), member + "." + NAMESPACE + ".svc");
            assertThat(members.getData()).containsKey(member + ".key");
        }
        assertThat(harness.events(EventReason.CertificateAuthorityCreated)).hasSize(1);
        assertThat(harness.events(EventReason.MemberCertificateIssued)).hasSize(3);
        assertThat(harness.api.client.apps().statefulSets().inNamespace(NAMESPACE).list().getItems())
                .allSatisfy(set -> assertThat(set.getSpec().getTemplate().getSpec().getVolumes())
                        .anySatisfy(v -> assertThat(v.getName()).isEqualTo("tls")));
    }

    @Test
    void aCaSecretWhoseKeyBelongsToAnotherCertificateIsReportedAndStartsNoMember() {
        CertificateAuthority own = CertificateAuthority.generate(NAMESPACE, "c", Instant.now(), Duration.ofDays(100));
        CertificateAuthority other = CertificateAuthority.generate(NAMESPACE, "c", Instant.now(), Duration.ofDays(100));
        Secret mismatched = ClusterCaSecrets.ca(TestClusters.cluster("c", NAMESPACE, 3), new CertificateAuthority(own.certificate(), other.key()));
        harness.api.client.secrets().inNamespace(NAMESPACE).resource(mismatched).create();

        harness.create(TestClusters.cluster("c", NAMESPACE, 3));

        await().atMost(STEP).until(() -> harness.condition("c", "Degraded")
                .map(c -> "True".equals(c.getStatus()) && EventReason.CertificateAuthorityInvalid.name().equals(c.getReason())
                        && c.getMessage().contains("does not belong to its CA certificate"))
                .orElse(false));
        assertThat(harness.api.client.pods().inNamespace(NAMESPACE).list().getItems()).as("no member started").isEmpty();
        assertThat(secret("c-member-tls")).as("no certificate issued").isNull();
        assertThat(secret("c-ca").getData()).isEqualTo(mismatched.getData());
    }

    @Test
    void aCaSecretThatIsThereIsUsedAndNeverReplaced() {
        CertificateAuthority own = CertificateAuthority.generate(NAMESPACE, "c", Instant.now(), Duration.ofDays(100));
        Secret existing = ClusterCaSecrets.ca(TestClusters.cluster("c", NAMESPACE, 3), own);
        harness.api.client.secrets().inNamespace(NAMESPACE).resource(existing).create();
        String before = secret("c-ca").getMetadata().getResourceVersion();

        harness.createReady("c", 3);

        await().atMost(STEP).until(() -> secret("c-member-tls") != null && secret("c-member-tls").getData().size() == 7);
        assertThat(secret("c-ca").getMetadata().getResourceVersion()).as("the CA Secret was not written").isEqualTo(before);
        assertThat(harness.events(EventReason.CertificateAuthorityCreated)).isEmpty();
        assertThat(text(secret("c-ca-cert"), "ca.crt")).isEqualTo(Pem.certificate(own.certificate()));
        Set<String> issuers = new HashSet<>();
        secret("c-member-tls").getData().forEach((key, value) -> {
            if (key.endsWith(".crt") && !key.equals("ca.crt")) {
                issuers.add(Pem.readCertificate(new String(Base64.getDecoder().decode(value))).getIssuerX500Principal().getName());
            }
        });
        assertThat(issuers).containsExactly(own.certificate().getSubjectX500Principal().getName());
    }
}
