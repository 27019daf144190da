package io.cassandraoperator.operator.model;

import io.cassandraoperator.api.TlsSpec;

import java.time.Duration;

/** The encryption a Cluster's members run with, as the operator decided it ({@code plan.TlsDecision}). */
public record TlsSettings(boolean enabled, TlsSpec.ClientPolicy client, Duration validity, Duration renewBefore) {
    /** How long the cluster CA is valid, in multiples of the member validity: it outlives many member renewals. */
    public static final int CA_VALIDITY_FACTOR = 5;

    public static TlsSettings plaintext() {
        return new TlsSettings(false, TlsSpec.ClientPolicy.REQUIRED, Duration.ZERO, Duration.ZERO);
    }

    /** The spec's settings with their defaults, encryption on. */
    public static TlsSettings enabled(TlsSpec spec) {
        TlsSpec tls = spec == null ? new TlsSpec() : spec;
        return new TlsSettings(true,
                tls.getClient() == null ? TlsSpec.ClientPolicy.REQUIRED : tls.getClient(),
                Duration.ofDays(tls.getValidityDays() == null ? TlsSpec.DEFAULT_VALIDITY_DAYS : tls.getValidityDays()),
                Duration.ofDays(tls.getRenewBeforeDays() == null ? TlsSpec.DEFAULT_RENEW_BEFORE_DAYS : tls.getRenewBeforeDays()));
    }

    /** From the spec alone, as for a Cluster without members: on unless {@code enabled: false}. */
    public static TlsSettings fromSpec(TlsSpec spec) {
        return spec != null && Boolean.FALSE.equals(spec.getEnabled()) ? plaintext() : enabled(spec);
    }

    public Duration caValidity() {
        return validity.multipliedBy(CA_VALIDITY_FACTOR);
    }
}
