package io.cassandraoperator.operator;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;

import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * Pod template changes (a new version, resources, placement) roll one rack at a time: the StatefulSet controller
 * restarts one pod of a rack at a time, but would roll every rack at once, and with one replica per rack that can
 * stop every replica of a range. A rack's new template is written only when every member is ready and no other rack
 * is still rolling out.
 */
final class RolloutGate {
    private RolloutGate() {
    }

    /** Why no template may change now, or empty when one may. */
    static Optional<String> blocker(Collection<StatefulSet> statefulSets, Optional<String> notReadyMember) {
        if (notReadyMember.isPresent()) {
            return Optional.of("member " + notReadyMember.get() + " is not ready");
        }
        return statefulSets.stream().filter(RolloutGate::rolling).findFirst()
                .map(s -> "StatefulSet " + s.getMetadata().getName() + " is still rolling out");
    }

    /** The controller has not yet seen the latest spec, or has pods left on an older revision. */
    static boolean rolling(StatefulSet statefulSet) {
        StatefulSetStatus status = statefulSet.getStatus();
        if (status == null) {
            return false; // just created: nothing to roll
        }
        Long generation = statefulSet.getMetadata().getGeneration();
        boolean unseen = generation != null && (status.getObservedGeneration() == null || status.getObservedGeneration() < generation);
        boolean revisionsDiffer = status.getUpdateRevision() != null && !Objects.equals(status.getUpdateRevision(), status.getCurrentRevision());
        boolean podsBehind = status.getUpdatedReplicas() != null && status.getUpdatedReplicas() < ChangeRefusal.replicas(statefulSet);
        return unseen || revisionsDiffer || podsBehind;
    }
}
