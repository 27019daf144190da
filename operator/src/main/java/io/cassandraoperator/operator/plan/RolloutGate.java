package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.RackSpec;
import io.cassandraoperator.operator.model.DesiredHash;
import io.cassandraoperator.operator.model.RackStatefulSet;
import io.cassandraoperator.operator.observe.ObservedCluster;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Pod template changes (a new version, resources, placement) roll one rack at a time: the StatefulSet controller
 * restarts one pod of a rack at a time, but would roll every rack at once, and with one replica per rack that can
 * stop every replica of a range. A rack's new template is written only when every member is ready and no other rack
 * is still rolling out.
 */
public final class RolloutGate {
    private RolloutGate() {
    }

    /**
     * The rack StatefulSets to write this round, in spec order, and why a held-back one waits (null when none does).
     * Each is created empty: replicas are left to the membership steps, which change them one member at a time.
     */
    public record Rollout(List<StatefulSet> admitted, String heldBack) {
    }

    /** Every rack whose StatefulSet is new or unchanged, and at most one whose template changes, if the gate is open. */
    public static Rollout plan(Cluster cluster, ObservedCluster observed) {
        List<StatefulSet> admitted = new ArrayList<>();
        String heldBack = null;
        boolean rolled = false;
        for (RackSpec rack : cluster.getSpec().getDatacenter().getRacks()) {
            StatefulSet actual = observed.statefulSets().get(RackStatefulSet.name(cluster, rack.getName()));
            StatefulSet desired = RackStatefulSet.build(cluster, rack, 0);
            if (actual != null && !DesiredHash.of(desired).equals(DesiredHash.recorded(actual))) {
                Optional<String> blocker = rolled ? Optional.of("rack " + rack.getName() + " waits for the rack rolled just before it")
                        : blocker(observed.statefulSets().values(), observed.firstNotReadyMember(cluster));
                if (blocker.isPresent()) {
                    heldBack = "waiting to roll out rack " + rack.getName() + ": " + blocker.get();
                    continue;
                }
                rolled = true;
            }
            admitted.add(desired);
        }
        return new Rollout(List.copyOf(admitted), heldBack);
    }

    /** Why no template may change now, or empty when one may. */
    public static Optional<String> blocker(Collection<StatefulSet> statefulSets, Optional<String> notReadyMember) {
        if (notReadyMember.isPresent()) {
            return Optional.of("member " + notReadyMember.get() + " is not ready");
        }
        return statefulSets.stream().filter(RolloutGate::rolling).findFirst()
                .map(s -> "StatefulSet " + s.getMetadata().getName() + " is still rolling out");
    }

    /** The controller has not yet seen the latest spec, or has pods left on an older revision. */
    public static boolean rolling(StatefulSet statefulSet) {
        StatefulSetStatus status = statefulSet.getStatus();
        if (status == null) {
            return false; // just created: nothing to roll
        }
        Long generation = statefulSet.getMetadata().getGeneration();
        boolean unseen = generation != null && (status.getObservedGeneration() == null || status.getObservedGeneration() < generation);
        boolean revisionsDiffer = status.getUpdateRevision() != null && !Objects.equals(status.getUpdateRevision(), status.getCurrentRevision());
        boolean podsBehind = status.getUpdatedReplicas() != null && status.getUpdatedReplicas() < ObservedCluster.replicas(statefulSet);
        return unseen || revisionsDiffer || podsBehind;
    }
}
