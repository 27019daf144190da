package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.api.TlsSpec;
import io.cassandraoperator.operator.model.RackStatefulSet;
import io.cassandraoperator.operator.model.TlsSettings;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.util.Collection;
import java.util.Optional;

/**
 * Whether the members run with TLS. {@code spec.tls.enabled} decides when set. Unset, a Cluster whose StatefulSets
 * already run members without the TLS volume (created before the operator encrypted) stays in plaintext, and any other
 * (a new Cluster, or one created with TLS) gets TLS: a default that flipped a running plaintext cluster to required
 * mutual TLS in one roll would split its ring between members that refuse each other. The decision is read from the
 * templates every round, so it is the same after an operator restart.
 */
public final class TlsDecision {
    private TlsDecision() {
    }

    public static TlsSettings settings(Cluster cluster, Collection<StatefulSet> existing) {
        TlsSpec tls = cluster.getSpec().getTls();
        boolean enabled = tls != null && tls.getEnabled() != null ? tls.getEnabled() : runningEncrypted(existing).orElse(true);
        return enabled ? TlsSettings.enabled(tls) : TlsSettings.plaintext();
    }

    /**
     * Turning encryption on or off for members that run the other way is refused: the roll would leave members that
     * cannot talk to each other, and the rolling migration (optional encryption first) is not built yet.
     */
    public static Optional<Refusal> refusal(Cluster cluster, Collection<StatefulSet> existing) {
        TlsSpec tls = cluster.getSpec().getTls();
        Optional<Boolean> running = runningEncrypted(existing);
        if (tls == null || tls.getEnabled() == null || running.isEmpty() || running.get().equals(tls.getEnabled())) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(EventReason.TlsChangeRefused, "spec.tls.enabled is " + tls.getEnabled()
                + " but the members run " + (running.get() ? "with" : "without") + " TLS; switching a running cluster needs a"
                + " rolling migration through optional encryption, which this operator does not do yet; nothing was changed"));
    }

    /** Whether the existing StatefulSets' templates mount the TLS Secret; empty when there are none. */
    static Optional<Boolean> runningEncrypted(Collection<StatefulSet> existing) {
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(existing.stream().anyMatch(RackStatefulSet::mountsTls));
    }
}
