package io.cassandraoperator.operator.model;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * PEM text of certificates and keys, written and read by BouncyCastle. Keys are unencrypted PKCS#8
 * ({@code BEGIN PRIVATE KEY}), the form Cassandra's {@code PEMBasedSslContextFactory} and the JDK read; they are
 * protected by the Secret they are kept in.
 */
public final class Pem {
    private Pem() {
    }

    public static String certificate(X509Certificate certificate) {
        return write(certificate);
    }

    public static String privateKey(PrivateKey key) {
        try {
            return write(new JcaPKCS8Generator(key, null).generate());
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first certificate of a PEM text. */
    public static X509Certificate readCertificate(String pem) {
        Object object = readObject(pem);
        if (!(object instanceof X509CertificateHolder holder)) {
            throw new IllegalArgumentException("no PEM certificate found");
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a valid X.509 certificate: " + e.getMessage(), e);
        }
    }

    /** The private key of a PEM text, PKCS#8 or the older PKCS#1 form. */
    public static PrivateKey readPrivateKey(String pem) {
        Object object = readObject(pem);
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a valid private key: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("no unencrypted PEM private key found");
    }

    private static Object readObject(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem == null ? "" : pem))) {
            return parser.readObject();
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid PEM: " + e.getMessage(), e);
        }
    }

    private static String write(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
