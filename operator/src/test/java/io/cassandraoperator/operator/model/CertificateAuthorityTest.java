package io.cassandraoperator.operator.model;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.operator.TestClusters;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.Test;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CertificateAuthorityTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private final Cluster cluster = TestClusters.cluster("cass", "ns", 3);
    private final CertificateAuthority ca = CertificateAuthority.generate("ns", "cass", NOW, Duration.ofDays(1825));

    @Test
    void theCaIsACaValidForItsPeriod() throws Exception {
        X509Certificate certificate = ca.certificate();
        assertThat(certificate.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(certificate.getSubjectX500Principal().getName()).contains("ns/cass");
        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(1825)));
        certificate.verify(certificate.getPublicKey());
    }

    @Test
    void aMemberCertificateCarriesTheMembersNamesAndIsTrustedThroughTheCa() throws Exception {
        List<String> names = MemberTlsSecret.subjectNames(cluster, "cass-dc1-rack1-0", "10.96.0.12");
        MemberCertificate member = ca.issue("cass-dc1-rack1-0", names, NOW, Duration.ofDays(365));

        assertThat(names).contains("10.96.0.12", "cass-dc1-rack1-0.ns.svc", "cass-dc1-rack1-0.ns.svc.cluster.local",
                "cass-dc1-rack1-0.cass-client.ns.svc.cluster.local", "cass-client.ns.svc");
        assertThat(member.certificate().getSubjectAlternativeNames().stream()
                .collect(Collectors.toMap(n -> String.valueOf(n.get(1)), n -> (Integer) n.get(0))))
                .containsEntry("10.96.0.12", 7).containsEntry("cass-dc1-rack1-0.ns.svc", 2).hasSize(names.size());
        assertThat(member.certificate().getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(365)));
        assertThat(member.certificate().getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(member.certificate().getBasicConstraints()).isEqualTo(-1);
        // Trusted by a JDK trust manager holding only the CA, for both ends of a mutual connection.
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        X509TrustManager manager = (X509TrustManager) factory.getTrustManagers()[0];
        manager.checkServerTrusted(new X509Certificate[] {member.certificate()}, "RSA");
        manager.checkClientTrusted(new X509Certificate[] {member.certificate()}, "RSA");
    }

    @Test
    void theKeyMatchesItsCertificateThroughPem() throws Exception {
        MemberCertificate member = ca.issue("m", List.of("10.0.0.1"), NOW, Duration.ofDays(1));
        var key = Pem.readPrivateKey(Pem.privateKey(member.key()));
        var certificate = Pem.readCertificate(Pem.certificate(member.certificate()));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(new byte[] {1, 2, 3});
        byte[] signed = signature.sign();
        signature.initVerify(certificate.getPublicKey());
        signature.update(new byte[] {1, 2, 3});
        assertThat(signature.verify(signed)).isTrue();
        assertThat(Pem.privateKey(member.key())).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void theCaSecretRoundTripsAndItsPublicCopyHoldsNoKey() {
        Secret secret = ClusterCaSecrets.ca(cluster, ca);
        CertificateAuthority read = ClusterCaSecrets.read(secret);
        assertThat(read.certificate()).isEqualTo(ca.certificate());
        assertThat(read.key().getEncoded()).isEqualTo(ca.key().getEncoded());
        assertThat(secret.getMetadata().getOwnerReferences()).as("retained like the other Secrets").isNullOrEmpty();

        Secret copy = ClusterCaSecrets.caCert(cluster, Pem.certificate(ca.certificate()));
        assertThat(copy.getMetadata().getName()).isEqualTo("cass-ca-cert");
        assertThat(copy.getData()).containsOnlyKeys("ca.crt");
    }

    @Test
    void aCaSecretWithoutItsKeyIsRefused() {
        Secret secret = ClusterCaSecrets.ca(cluster, ca);
        secret.setData(Map.of("ca.crt", secret.getData().get("ca.crt")));
        assertThatThrownBy(() -> ClusterCaSecrets.read(secret)).hasMessageContaining("has no ca.key");
    }

    @Test
    void theMemberSecretKeepsOtherMembersAndAddsTheIssued() {
        MemberCertificate member = ca.issue("cass-dc1-rack1-1", List.of("10.0.0.2"), NOW, Duration.ofDays(1));
        Secret secret = MemberTlsSecret.build(cluster, Pem.certificate(ca.certificate()),
                Map.of("cass-dc1-rack1-0.crt", "a2VwdA==", "cass-dc1-rack1-0.key", "a2VwdA=="), Map.of("cass-dc1-rack1-1", member));
        assertThat(secret.getMetadata().getName()).isEqualTo("cass-member-tls");
        assertThat(secret.getData()).containsEntry("cass-dc1-rack1-0.crt", "a2VwdA==")
                .containsKeys("ca.crt", "cass-dc1-rack1-1.crt", "cass-dc1-rack1-1.key");
    }
}
