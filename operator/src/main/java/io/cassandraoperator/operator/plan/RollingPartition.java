package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.agent.NodeStatus;
import io.cassandraoperator.operator.model.MemberService;
import io.cassandraoperator.operator.observe.ObservedCluster;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateStatefulSetStrategy;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategy;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategyBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Quorum-safe rolling restarts. The StatefulSet controller alone restarts a rack's next pod as soon as the restarted
 * one passes its readiness probe, which says only that the member serves: the other members may hold it DOWN in
 * gossip for seconds more, and a QUORUM request one of them coordinates fails when the next member stops (Scylla
 * Operator's quorum-safe restart issue). So a rack rolls under a partition the operator lowers one member at a time:
 * a new template restarts only the rack's highest member, and the next one goes only when the restarted member is on
 * the new revision, ready, seen UP by every other ready member of the Cluster, and sees each of them UP itself.
 */
public final class RollingPartition {
    private RollingPartition() {
    }

    /** Let the member below the partition restart. */
    public record Lower(StatefulSet statefulSet, int partition, String message) {
    }

    /** The rolls this round: partitions to lower, and why a roll waits (null when none waits). */
    public record Rolls(List<Lower> lower, String waitingFor) {
        public boolean rolling() {
            return !lower.isEmpty() || waitingFor != null;
        }
    }

    /**
     * The update strategy a rack's StatefulSet is written with: a changed pod template starts its roll at the rack's
     * highest member; otherwise the partition the roll has reached stays.
     */
    public static StatefulSetUpdateStrategy strategyFor(StatefulSet current, StatefulSet wanted) {
        boolean templateChanged = !Objects.equals(RollingRestart.templateHash(current), RollingRestart.templateHash(wanted));
        int partition = templateChanged ? Math.max(0, ObservedCluster.replicas(current) - 1) : partition(current);
        return new StatefulSetUpdateStrategyBuilder().withType("RollingUpdate")
                .withRollingUpdate(new RollingUpdateStatefulSetStrategy(null, partition)).build();
    }

    /** The StatefulSet's partition: members at this ordinal and above get the newest template; 0 when unset. */
    public static int partition(StatefulSet statefulSet) {
        StatefulSetUpdateStrategy strategy = statefulSet.getSpec().getUpdateStrategy();
        return strategy == null || strategy.getRollingUpdate() == null || strategy.getRollingUpdate().getPartition() == null
                ? 0 : strategy.getRollingUpdate().getPartition();
    }

    /** The members whose view of gossip the rolls need this round: every ready member, when a rack rolls. */
    public static List<String> viewsNeeded(ObservedCluster observed) {
        boolean rolling = observed.statefulSets().values().stream().anyMatch(s -> partition(s) > 0);
        return rolling ? observed.pods().keySet().stream().filter(observed::ready).sorted().toList() : List.of();
    }

    /**
     * @param views what each ready member's agent says of its ring ({@link #viewsNeeded}); a member missing here did
     *              not answer
     */
    public static Rolls next(Cluster cluster, ObservedCluster observed, Map<String, NodeStatus> views) {
        List<Lower> lower = new ArrayList<>();
        String waitingFor = null;
        for (StatefulSet statefulSet : observed.statefulSets().values().stream()
                .sorted((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName())).toList()) {
            int partition = partition(statefulSet);
            if (partition == 0) {
                continue;
            }
            int replicas = ObservedCluster.replicas(statefulSet);
            String member = statefulSet.getMetadata().getName() + "-" + partition;
            if (partition >= replicas) {
                lower.add(new Lower(statefulSet, Math.max(0, replicas - 1), "StatefulSet " + statefulSet.getMetadata().getName()
                        + " has no member " + member + " any more: its roll goes on below it"));
                continue;
            }
            Optional<String> wait = waitFor(member, statefulSet, observed, views);
            if (wait.isPresent()) {
                waitingFor = waitingFor == null ? "rolling restart of StatefulSet " + statefulSet.getMetadata().getName() + ": "
                        + wait.get() : waitingFor;
                continue;
            }
            lower.add(new Lower(statefulSet, partition - 1, "member " + member + " restarted on the new template, is NORMAL and "
                    + "seen UP by every other ready member, and sees them UP: member " + statefulSet.getMetadata().getName() + "-"
                    + (partition - 1) + " restarts next"));
        }
        return new Rolls(List.copyOf(lower), waitingFor);
    }

    /** Why the member at the partition does not let the next one go yet, or empty when it does. */
    private static Optional<String> waitFor(String member, StatefulSet statefulSet, ObservedCluster observed, Map<String, NodeStatus> views) {
        String updateRevision = statefulSet.getStatus() == null ? null : statefulSet.getStatus().getUpdateRevision();
        if (updateRevision == null || observed.pods().get(member) == null
                || !updateRevision.equals(RolloutGate.revision(observed.pods().get(member)))) {
            return Optional.of("member " + member + " is not restarted on the new template yet");
        }
        if (!observed.ready(member)) {
            return Optional.of("member " + member + " restarted and is not ready yet (" + observed.podState(member) + ")");
        }
        NodeStatus own = views.get(member);
        String address = MemberService.clusterIp(observed.services().get(member));
        if (own == null || address == null) {
            return Optional.of("member " + member + " restarted; its agent did not say how it sees the ring yet");
        }
        List<String> notSeeing = new ArrayList<>();
        List<String> notSeen = new ArrayList<>();
        for (String other : observed.pods().keySet().stream().filter(observed::ready).filter(m -> !m.equals(member)).sorted().toList()) {
            NodeStatus view = views.get(other);
            if (view == null || !view.seesUp(address)) {
                notSeeing.add(other);
            }
            String otherAddress = MemberService.clusterIp(observed.services().get(other));
            if (otherAddress == null || !own.seesUp(otherAddress)) {
                notSeen.add(other);
            }
        }
        if (!notSeeing.isEmpty()) {
            return Optional.of("member " + member + " restarted and is ready, but " + String.join(", ", notSeeing)
                    + " do not see it UP in gossip yet; the next member stops only once they do, so that no QUORUM request fails");
        }
        if (!notSeen.isEmpty()) {
            return Optional.of("member " + member + " restarted and is ready, but does not see " + String.join(", ", notSeen)
                    + " UP in gossip yet");
        }
        return Optional.empty();
    }
}
