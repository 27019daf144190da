package io.cassandraoperator.local.apiserver.auth;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * The API server's TLS: a CA of its own and a serving certificate it signed for 127.0.0.1 and localhost, made at the
 * first start and kept under {@code <state-dir>/api/} (the key mode 0600) so kubeconfigs stay valid across restarts.
 * TLS is what makes tokens usable at all: kubectl (client-go's clientcmd) sends a kubeconfig's credentials only to
 * an {@code https} server. The CA's key is not kept: nothing else is ever signed.
 */
public final class ServingCertificates {
    private static final Duration VALIDITY = Duration.ofDays(3650);

    private final String caPem;
    private final String certificatePem;
    private final String keyPem;

    private ServingCertificates(String caPem, String certificatePem, String keyPem) {
        this.caPem = caPem;
        this.certificatePem = certificatePem;
        this.keyPem = keyPem;
    }

    /** The certificates kept in the directory, made there first if absent. */
    public static ServingCertificates in(Path directory) {
        Path ca = directory.resolve("ca.crt");
        Path certificate = directory.resolve("serving.crt");
        Path key = directory.resolve("serving.key");
        try {
            if (!Files.isRegularFile(ca) || !Files.isRegularFile(certificate) || !Files.isRegularFile(key)) {
                ServingCertificates made = make();
                PrivateFile.write(key, made.keyPem);
                PrivateFile.write(certificate, made.certificatePem);
                PrivateFile.write(ca, made.caPem);
            }
            return new ServingCertificates(Files.readString(ca), Files.readString(certificate), Files.readString(key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String caPem() {
        return caPem;
    }

    public String certificatePem() {
        return certificatePem;
    }

    public String keyPem() {
        return keyPem;
    }

    /** A TLS context that trusts this server's CA only, for clients that are not configured by a kubeconfig. */
    public SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("cassandra-local-ca", CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ServingCertificates make() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair caKeys = generator.generateKeyPair();
            KeyPair servingKeys = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name caName = new X500Name("CN=cassandra-local-ca");
            X509Certificate ca = sign(new JcaX509v3CertificateBuilder(caName, serial(), Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(VALIDITY)), caName, caKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)),
                    caKeys.getPrivate());
            X509Certificate serving = sign(new JcaX509v3CertificateBuilder(caName, serial(),
                    Date.from(now.minusSeconds(60)), Date.from(now.plus(VALIDITY)),
                    new X500Name("CN=cassandra-local-apiserver"), servingKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                            new GeneralName(GeneralName.dNSName, "localhost")})),
                    caKeys.getPrivate());
            return new ServingCertificates(pem("CERTIFICATE", ca.getEncoded()), pem("CERTIFICATE", serving.getEncoded()),
                    pem("PRIVATE KEY", servingKeys.getPrivate().getEncoded()));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the API server's certificates", e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws OperatorCreationException, GeneralSecurityException, IOException {
        X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
    }

    private static BigInteger serial() {
        return new BigInteger(64, new SecureRandom());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
