package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Contract.TlsSecrets;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.operator.model.CertificateAuthority;
import io.cassandraoperator.operator.model.ClusterCaSecrets;
import io.fabric8.kubernetes.api.model.Secret;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;

/**
 * A {@code <cluster>-ca} Secret that cannot sign member certificates (a user's own, or one damaged by hand): missing
 * keys, text that is no certificate or key, a key that does not belong to the certificate, a certificate that is no
 * CA, expired or not yet valid. Refused before anything is written, so no member is restarted or started onto
 * certificates its peers would reject; the Secret is never replaced by the operator.
 */
public final class CaSecretCheck {
    private CaSecretCheck() {
    }

    public static Optional<Refusal> refusal(Secret secret, Instant now) {
        if (secret == null) {
            return Optional.empty();
        }
        String name = secret.getMetadata().getName();
        CertificateAuthority ca;
        try {
            for (String key : new String[] {TlsSecrets.CA_CERTIFICATE, TlsSecrets.CA_KEY}) {
                if (ClusterCaSecrets.text(secret, key).filter(t -> !t.isBlank()).isEmpty()) {
                    return refuse("Secret " + name + " has no key " + key);
                }
            }
            ca = ClusterCaSecrets.read(secret);
        } catch (IllegalArgumentException e) {
            return refuse("Secret " + name + " holds no usable CA: " + e.getMessage());
        }
        X509Certificate certificate = ca.certificate();
        if (certificate.getBasicConstraints() < 0) {
            return refuse("the certificate in Secret " + name + " is not a CA certificate (basicConstraints CA:false)");
        }
        if (now.isBefore(certificate.getNotBefore().toInstant())) {
            return refuse("the CA certificate in Secret " + name + " is not valid before " + certificate.getNotBefore().toInstant());
        }
        if (!now.isBefore(certificate.getNotAfter().toInstant())) {
            return refuse("the CA certificate in Secret " + name + " expired at " + certificate.getNotAfter().toInstant());
        }
        if (!keyMatches(ca)) {
            return refuse("the key in Secret " + name + " does not belong to its CA certificate");
        }
        return Optional.empty();
    }

    private static boolean keyMatches(CertificateAuthority ca) {
        try {
            byte[] probe = "cassandra-operator".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance("SHA256with" + ca.key().getAlgorithm());
            signer.initSign(ca.key());
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256with" + ca.certificate().getPublicKey().getAlgorithm());
            verifier.initVerify(ca.certificate().getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static Optional<Refusal> refuse(String message) {
        return Optional.of(new Refusal(EventReason.CertificateAuthorityInvalid, message
                + "; no certificate is issued and no member is changed until the Secret holds a valid CA certificate and its key"));
    }
}
