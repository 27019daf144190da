package io.cassandraoperator.operator.model;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract.TlsSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster CA's Secrets: {@code <cluster>-ca} with certificate and key (the operator's alone; created once and
 * never overwritten, since every member certificate and every client trusts it) and {@code <cluster>-ca-cert} with the
 * certificate only, what clients mount or copy. Both are retained like the other Secrets: a Cluster recreated under
 * the name finds the CA its members' certificates came from.
 */
public final class ClusterCaSecrets {
    private ClusterCaSecrets() {
    }

    public static String caName(Cluster cluster) {
        return cluster.getMetadata().getName() + TlsSecrets.CA_SUFFIX;
    }

    public static String caCertName(Cluster cluster) {
        return cluster.getMetadata().getName() + TlsSecrets.CA_CERT_SUFFIX;
    }

    public static Secret ca(Cluster cluster, CertificateAuthority ca) {
        return new SecretBuilder()
                .withMetadata(ChildMetadata.retained(cluster, caName(cluster), ClusterLabels.cluster(cluster)))
                .withType("Opaque")
                .withData(Map.of(TlsSecrets.CA_CERTIFICATE, base64(Pem.certificate(ca.certificate())),
                        TlsSecrets.CA_KEY, base64(Pem.privateKey(ca.key()))))
                .build();
    }

    public static Secret caCert(Cluster cluster, String caCertificatePem) {
        return new SecretBuilder()
                .withMetadata(ChildMetadata.retained(cluster, caCertName(cluster), ClusterLabels.cluster(cluster)))
                .withType("Opaque")
                .withData(Map.of(TlsSecrets.CA_CERTIFICATE, base64(caCertificatePem)))
                .build();
    }

    /** The CA kept in {@code <cluster>-ca}. */
    public static CertificateAuthority read(Secret secret) {
        String certificate = text(secret, TlsSecrets.CA_CERTIFICATE)
                .orElseThrow(() -> new IllegalArgumentException("Secret " + secret.getMetadata().getName() + " has no " + TlsSecrets.CA_CERTIFICATE));
        String key = text(secret, TlsSecrets.CA_KEY)
                .orElseThrow(() -> new IllegalArgumentException("Secret " + secret.getMetadata().getName() + " has no " + TlsSecrets.CA_KEY));
        return new CertificateAuthority(Pem.readCertificate(certificate), Pem.readPrivateKey(key));
    }

    /** A key of a Secret as text, from data or stringData. */
    public static Optional<String> text(Secret secret, String key) {
        if (secret.getData() != null && secret.getData().get(key) != null) {
            return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8));
        }
        return Optional.ofNullable(secret.getStringData() == null ? null : secret.getStringData().get(key));
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
