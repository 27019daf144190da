package io.cassandraoperator.agent.config;

import io.cassandraoperator.api.Contract;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The member's TLS material, from the mounted {@code <cluster>-member-tls} Secret ({@link Contract.TlsSecrets}): its
 * own {@code <pod>.crt} and {@code <pod>.key} and the cluster CA's {@code ca.crt}.
 *
 * @param clientOptional whether Cassandra also accepts plaintext CQL ({@code CASSANDRA_CLIENT_TLS=optional})
 */
public record MemberTls(Path dir, String podName, boolean clientOptional) {
    private static final Logger LOG = LoggerFactory.getLogger(MemberTls.class);
    private static final Duration POLL = Duration.ofSeconds(2);

    /** Set when the pod template gives {@link Contract.Env#TLS_DIR}. */
    static Optional<MemberTls> fromEnvironment(Map<String, String> env, String podName) {
        String dir = env.get(Contract.Env.TLS_DIR);
        if (dir == null || dir.isBlank()) {
            return Optional.empty();
        }
        String client = env.getOrDefault(Contract.Env.CLIENT_TLS, "required").trim();
        if (!client.equals("required") && !client.equals("optional")) {
            throw new IllegalArgumentException(Contract.Env.CLIENT_TLS + " must be required or optional, not " + client);
        }
        return Optional.of(new MemberTls(Path.of(dir.trim()), podName, client.equals("optional")));
    }

    public Path certificate() {
        return dir.resolve(podName + Contract.TlsSecrets.CERTIFICATE_EXTENSION);
    }

    public Path key() {
        return dir.resolve(podName + Contract.TlsSecrets.KEY_EXTENSION);
    }

    public Path ca() {
        return dir.resolve(Contract.TlsSecrets.CA_CERTIFICATE);
    }

    /**
     * Waits until the Secret holds this member's certificate: the operator issues it before the pod is created, but a
     * kubelet may have mounted an older copy of the Secret, and it refreshes mounted Secrets by itself.
     */
    public void awaitFiles(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        boolean logged = false;
        while (!(Files.isRegularFile(certificate()) && Files.isRegularFile(key()) && Files.isRegularFile(ca()))) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("no certificate for " + podName + " in " + dir + " after " + timeout.toSeconds()
                        + " s: expected " + certificate().getFileName() + ", " + key().getFileName() + " and " + ca().getFileName());
            }
            if (!logged) {
                LOG.info("Waiting for this member's certificate in {} (the operator issues it into the member TLS Secret)", dir);
                logged = true;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /**
     * Cassandra's PEM keystore (its {@code PEMBasedSslContextFactory}): the unencrypted private key and the certificate
     * in one file; the truststore is the CA certificate.
     */
    public String keystorePem() {
        return read(key()) + System.lineSeparator() + read(certificate());
    }

    public String truststorePem() {
        return read(ca());
    }

    /** A client context trusting the cluster CA only, for the agent's own CQL sessions. */
    public SSLContext clientContext() {
        try (InputStream in = Files.newInputStream(ca())) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int index = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + index++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the cluster CA from " + ca() + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
