package io.cassandraoperator.operator.plan;

import io.cassandraoperator.operator.model.MemberTlsSecret;
import io.cassandraoperator.operator.model.Pem;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which members need a certificate issued, and why: none yet, one for other names (the member Service got another
 * ClusterIP), one the current CA did not sign, or one within the renewal window of its expiry.
 */
public final class MemberCertificates {
    private MemberCertificates() {
    }

    /** A member to issue a certificate for, with its names and the reason. */
    public record Issue(String member, List<String> subjectNames, String reason) {
    }

    /**
     * @param wanted  per member, the names its certificate must carry
     * @param current the member Secret's data as PEM texts by key (empty when it does not exist)
     */
    public static List<Issue> due(Map<String, List<String>> wanted, Map<String, String> current, X509Certificate ca, Instant now,
                                  Duration renewBefore) {
        List<Issue> due = new ArrayList<>();
        wanted.forEach((member, names) -> reason(current.get(MemberTlsSecret.certificateKey(member)),
                current.containsKey(MemberTlsSecret.privateKeyKey(member)), names, ca, now, renewBefore)
                .ifPresent(reason -> due.add(new Issue(member, names, reason))));
        return due;
    }

    private static Optional<String> reason(String pem, boolean hasKey, List<String> names, X509Certificate ca, Instant now,
                                           Duration renewBefore) {
        if (pem == null || !hasKey) {
            return Optional.of("it has no certificate yet");
        }
        X509Certificate certificate;
        try {
            certificate = Pem.readCertificate(pem);
        } catch (IllegalArgumentException e) {
            return Optional.of("its certificate cannot be read (" + e.getMessage() + ")");
        }
        try {
            certificate.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            return Optional.of("its certificate was not signed by the cluster CA");
        }
        Set<String> carried = subjectNames(certificate);
        if (!carried.equals(new HashSet<>(names))) {
            return Optional.of("its certificate names " + carried + " instead of " + names);
        }
        Instant expiry = certificate.getNotAfter().toInstant();
        if (!now.plus(renewBefore).isBefore(expiry)) {
            return Optional.of("its certificate expires at " + expiry + ", within the renewal window of " + renewBefore.toDays() + " days");
        }
        return Optional.empty();
    }

    static Set<String> subjectNames(X509Certificate certificate) {
        Set<String> names = new HashSet<>();
        try {
            if (certificate.getSubjectAlternativeNames() != null) {
                certificate.getSubjectAlternativeNames().forEach(entry -> names.add(String.valueOf(entry.get(1))));
            }
        } catch (CertificateParsingException e) {
            return Set.of();
        }
        return names;
    }

    /** The Secret's data decoded, by key. */
    public static Map<String, String> decoded(Map<String, String> data) {
        Map<String, String> decoded = new LinkedHashMap<>();
        if (data != null) {
            data.forEach((key, value) -> decoded.put(key, new String(java.util.Base64.getDecoder().decode(value),
                    java.nio.charset.StandardCharsets.UTF_8)));
        }
        return decoded;
    }
}
