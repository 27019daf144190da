package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.RackSpec;
import io.cassandraoperator.operator.model.DesiredHash;
import io.cassandraoperator.operator.model.RackConfigDigest;
import io.cassandraoperator.operator.model.RackStatefulSet;
import io.cassandraoperator.operator.model.TlsSettings;
import io.cassandraoperator.operator.observe.ObservedCluster;
import io.fabric8.kubernetes.api.model.Pod;
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
 * is still rolling out. One exception, so that a bad template can be fixed: when every member that is not ready is a
 * pod of the rack's newest revision (an image that does not exist, a placement nothing satisfies, too little memory),
 * that rack's next template goes through; the members on older revisions are untouched by it.
 */
public final class RolloutGate {
    private RolloutGate() {
    }

    /**
     * The rack StatefulSets to write this round, in spec order, and why a held-back one waits (null when none does).
     * Each is created empty: replicas are left to the membership steps, which change them one member at a time.
     */
    public record Rollout(List<StatefulSet> admitted, String heldBack, List<Correction> corrections, List<RollingRestart> restarts) {
    }

    /** A template admitted although members are not ready, because only its own newest revision left them so. */
    public record Correction(StatefulSet statefulSet, String reason) {
    }

    /** Every rack whose StatefulSet is new or unchanged, and at most one whose template changes, if the gate is open. */
    public static Rollout plan(Cluster cluster, ObservedCluster observed) {
        List<StatefulSet> admitted = new ArrayList<>();
        List<Correction> corrections = new ArrayList<>();
        List<RollingRestart> restarts = new ArrayList<>();
        String heldBack = null;
        boolean rolled = false;
        TlsSettings tls = TlsDecision.settings(cluster, observed.statefulSets().values());
        for (RackSpec rack : cluster.getSpec().getDatacenter().getRacks()) {
            StatefulSet actual = observed.statefulSets().get(RackStatefulSet.name(cluster, rack.getName()));
            StatefulSet desired = RackStatefulSet.build(cluster, rack, 0, tls, RackConfigDigest.of(rack.getConfigMapName(),
                    Optional.ofNullable(rack.getConfigMapName() == null ? null : observed.configMaps().get(rack.getConfigMapName())),
                    Optional.ofNullable(actual).map(s -> s.getSpec().getTemplate())));
            if (actual != null && !DesiredHash.of(desired).equals(DesiredHash.recorded(actual))) {
                Optional<String> blocker = rolled ? Optional.of("rack " + rack.getName() + " waits for the rack rolled just before it")
                        : blocker(observed.statefulSets().values(), observed.firstNotReadyMember(cluster));
                Optional<String> broken = blocker.isPresent() && !rolled ? brokenByNewestRevision(cluster, observed, actual) : Optional.empty();
                if (broken.isPresent()) {
                    corrections.add(new Correction(desired, broken.get()));
                } else if (blocker.isPresent()) {
                    heldBack = "waiting to roll out rack " + rack.getName() + ": " + blocker.get();
                    continue;
                }
                rolled = true;
                RollingRestart.between(actual, desired).ifPresent(restarts::add);
            }
            admitted.add(desired);
        }
        return new Rollout(List.copyOf(admitted), heldBack, List.copyOf(corrections), List.copyOf(restarts));
    }

    /**
     * Why the template of {@code statefulSet} may be replaced although members are not ready: every member that is not
     * ready is a pod of it made from its newest template ({@code updateRevision}, which the controller has seen and
     * not yet rolled out to every pod), so
     * that template is what keeps them unready and waiting for them would block its fix forever. Empty otherwise.
     */
    static Optional<String> brokenByNewestRevision(Cluster cluster, ObservedCluster observed, StatefulSet statefulSet) {
        StatefulSetStatus status = statefulSet.getStatus();
        Long generation = statefulSet.getMetadata().getGeneration();
        // A rollout the controller has seen and not finished: a rack fully on one revision has no newer template to blame.
        if (status == null || status.getUpdateRevision() == null || generation == null
                || status.getObservedGeneration() == null || status.getObservedGeneration() < generation
                || status.getUpdateRevision().equals(status.getCurrentRevision())) {
            return Optional.empty();
        }
        boolean othersRolling = observed.statefulSets().values().stream()
                .filter(s -> !s.getMetadata().getName().equals(statefulSet.getMetadata().getName())).anyMatch(RolloutGate::rolling);
        List<String> notReady = observed.notReadyMembers(cluster);
        if (othersRolling || notReady.isEmpty()) {
            return Optional.empty();
        }
        for (String member : notReady) {
            Pod pod = observed.pods().get(member);
            boolean newest = pod != null && pod.getMetadata().getDeletionTimestamp() == null
                    && member.startsWith(statefulSet.getMetadata().getName() + "-")
                    && status.getUpdateRevision().equals(revision(pod));
            if (!newest) {
                return Optional.empty();
            }
        }
        return Optional.of("member(s) " + String.join(", ", notReady) + " are not ready on the newest revision "
                + status.getUpdateRevision() + " of StatefulSet " + statefulSet.getMetadata().getName()
                + " and every other member is ready: the new template replaces the one that leaves them unready");
    }

    /** The template revision a pod was made from, as its StatefulSet controller labels it. */
    public static String revision(Pod pod) {
        return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(Contract.Labels.REVISION);
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
