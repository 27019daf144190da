package io.cassandraoperator.operator.plan;

import io.cassandraoperator.operator.model.CertificateAuthority;
import io.cassandraoperator.operator.model.MemberCertificate;
import io.cassandraoperator.operator.model.Pem;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MemberCertificatesTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private final CertificateAuthority ca = CertificateAuthority.generate("ns", "c", NOW, Duration.ofDays(1000));
    private final List<String> names = List.of("10.0.0.1", "m.ns.svc");

    private Map<String, String> stored(MemberCertificate certificate) {
        return Map.of("m.crt", Pem.certificate(certificate.certificate()), "m.key", Pem.privateKey(certificate.key()));
    }

    @Test
    void aMemberWithoutACertificateGetsOne() {
        assertThat(MemberCertificates.due(Map.of("m", names), Map.of(), ca.certificate(), NOW, RENEW_BEFORE))
                .singleElement().satisfies(issue -> assertThat(issue.reason()).contains("no certificate yet"));
    }

    @Test
    void aCurrentCertificateIsKept() {
        var current = stored(ca.issue("m", names, NOW, Duration.ofDays(365)));
        assertThat(MemberCertificates.due(Map.of("m", names), current, ca.certificate(), NOW, RENEW_BEFORE)).isEmpty();
    }

    @Test
    void aCertificateWithinTheRenewalWindowIsRenewed() {
        var current = stored(ca.issue("m", names, NOW, Duration.ofDays(365)));
        assertThat(MemberCertificates.due(Map.of("m", names), current, ca.certificate(), NOW.plus(Duration.ofDays(336)), RENEW_BEFORE))
                .singleElement().satisfies(issue -> assertThat(issue.reason()).contains("renewal window"));
        assertThat(MemberCertificates.due(Map.of("m", names), current, ca.certificate(), NOW.plus(Duration.ofDays(334)), RENEW_BEFORE)).isEmpty();
    }

    @Test
    void aChangedAddressGetsANewCertificate() {
        var current = stored(ca.issue("m", names, NOW, Duration.ofDays(365)));
        assertThat(MemberCertificates.due(Map.of("m", List.of("10.0.0.9", "m.ns.svc")), current, ca.certificate(), NOW, RENEW_BEFORE))
                .singleElement().satisfies(issue -> assertThat(issue.reason()).contains("instead of"));
    }

    @Test
    void aCertificateFromAnotherCaIsReplaced() {
        CertificateAuthority other = CertificateAuthority.generate("ns", "c", NOW, Duration.ofDays(1000));
        var current = stored(other.issue("m", names, NOW, Duration.ofDays(365)));
        assertThat(MemberCertificates.due(Map.of("m", names), current, ca.certificate(), NOW, RENEW_BEFORE))
                .singleElement().satisfies(issue -> assertThat(issue.reason()).contains("not signed by the cluster CA"));
    }
}
