package io.cassandraoperator.local.cli;

import io.cassandraoperator.api.Contract;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.Optional;

/** The TLS context a client builds from a Cluster's {@code <cluster>-ca-cert} Secret, as the README tells users to. */
public final class ClusterCaTrust {
    private ClusterCaTrust() {
    }

    /** Empty when the Cluster has no CA (it runs in plaintext). */
    public static Optional<SSLContext> read(KubernetesClient client, String namespace, String cluster) {
        Secret secret = client.secrets().inNamespace(namespace).withName(cluster + Contract.TlsSecrets.CA_CERT_SUFFIX).get();
        if (secret == null || secret.getData() == null || secret.getData().get(Contract.TlsSecrets.CA_CERTIFICATE) == null) {
            return Optional.empty();
        }
        return Optional.of(context(Base64.getDecoder().decode(secret.getData().get(Contract.TlsSecrets.CA_CERTIFICATE))));
    }

    /** A context trusting only the CA certificates of the PEM text. */
    public static SSLContext context(byte[] caPem) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int index = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(caPem))) {
                trust.setCertificateEntry("ca-" + index++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the cluster CA: " + e.getMessage(), e);
        }
    }
}
