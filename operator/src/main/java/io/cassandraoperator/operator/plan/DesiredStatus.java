package io.cassandraoperator.operator.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.ClusterStatus;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.api.Contract.Annotations;
import io.cassandraoperator.api.Contract.Labels;
import io.cassandraoperator.api.RackSpec;
import io.cassandraoperator.api.RackStatus;
import io.cassandraoperator.operator.model.RackStatefulSet;
import io.cassandraoperator.operator.observe.ObservedCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;

/** The status a Cluster should show, computed from what exists and what the operator decided this round. */
public final class DesiredStatus {
    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";
    private static final ObjectMapper JSON = new ObjectMapper();

    private DesiredStatus() {
    }

    /**
     * @param refusal a refused change, if any (then nothing else was done)
     * @param step    the membership step decided this round
     * @param detail  what the step is actually waiting for, when more precise than the step itself (may be null)
     * @param now     the time of a condition that changes status
     */
    public static ClusterStatus compute(Cluster cluster, ObservedCluster observed, Optional<Refusal> refusal, ScaleStep step,
                                 String detail, Instant now) {
        ClusterStatus status = new ClusterStatus();
        status.setObservedGeneration(cluster.getMetadata().getGeneration());
        status.setDataVersion(DataVersion.ran(cluster, observed).map(Object::toString).orElse(null));
        Set<String> racks = new LinkedHashSet<>();
        cluster.getSpec().getDatacenter().getRacks().forEach(r -> racks.add(r.getName()));
        observed.statefulSets().values().stream().map(s -> s.getMetadata().getLabels().get(Labels.RACK)).filter(Objects::nonNull).forEach(racks::add);
        String leavingRack = leavingRack(step);
        int members = 0;
        int ready = 0;
        int updated = 0;
        Map<String, String> versions = new TreeMap<>();
        for (String rack : racks) {
            String statefulSet = RackStatefulSet.name(cluster, rack);
            int replicas = observed.replicas(statefulSet);
            updated += memberVersions(observed, statefulSet, replicas, versions);
            int readyMembers = (int) IntStream.range(0, replicas).filter(o -> observed.ready(statefulSet + "-" + o)).count();
            RackStatus rackStatus = new RackStatus(replicas, readyMembers);
            if (rack.equals(leavingRack)) {
                rackStatus.getConditions().add(new RackStatus.RackCondition(RackStatus.RackCondition.MEMBER_LEAVING, "True"));
            }
            status.getRacks().put(rack, rackStatus);
            members += replicas;
            ready += readyMembers;
        }
        status.setMembers(members);
        status.setReadyMembers(ready);
        status.setUpdatedMembers(updated);
        status.setMemberVersions(versions.isEmpty() ? null : versions);
        int desired = cluster.getSpec().getDatacenter().getRacks().stream().mapToInt(r -> r.getMembers() == null ? 0 : r.getMembers()).sum();
        boolean complete = cluster.getSpec().getDatacenter().getRacks().stream()
                .allMatch((RackSpec r) -> Integer.valueOf(observed.replicas(RackStatefulSet.name(cluster, r.getName()))).equals(r.getMembers()))
                && members == desired;

        List<Condition> conditions = new ArrayList<>();
        String progress = detail != null ? detail : step.progress();
        if (refusal.isPresent()) {
            conditions.add(condition(READY, false, refusal.get().reason().name(), "change refused: " + refusal.get().message()));
            conditions.add(condition(PROGRESSING, false, refusal.get().reason().name(), "nothing is changed until the spec is corrected"));
            conditions.add(condition(DEGRADED, true, refusal.get().reason().name(), refusal.get().message()));
        } else {
            // A cleanup changes nothing a client sees: the cluster is ready while it runs.
            boolean settled = step instanceof ScaleStep.Steady || step instanceof ScaleStep.StartCleanup
                    || step instanceof ScaleStep.ContinueCleanup || step instanceof ScaleStep.CleanupFailed;
            boolean allReady = complete && ready == members && settled;
            conditions.add(allReady
                    ? condition(READY, true, "AllMembersReady", ready + " of " + desired + " members ready")
                    : condition(READY, false, "MembersNotReady", ready + " of " + members + " members ready, " + desired + " wanted"));
            conditions.add(step instanceof ScaleStep.ReplacementRefused
                    ? condition(PROGRESSING, false, EventReason.ReplacementRefused.name(), "nothing is changed while the replacement is refused")
                    : progress == null
                    ? condition(PROGRESSING, false, "Steady", "nothing to change")
                    : condition(PROGRESSING, true, progressReason(step), progress));
            conditions.add(step instanceof ScaleStep.DecommissionFailed failed
                    ? condition(DEGRADED, true, "DecommissionFailed", "the decommission of member " + failed.member()
                        + " failed and the member stays: " + failed.message() + ". Set rack " + failed.rack()
                        + " back to keep the member, or remove the annotation " + Annotations.DECOMMISSION_FAILURE
                        + " from its Service to try again")
                    : step instanceof ScaleStep.DecommissionUnconfirmed unconfirmed
                    ? condition(DEGRADED, true, EventReason.DecommissionUnconfirmed.name(), "the Service of member " + unconfirmed.member()
                        + " carries " + Labels.DECOMMISSIONED + "=true, but its agent does not confirm a finished decommission ("
                        + unconfirmed.agentSays() + "); nothing is removed and no other membership change is made. Remove the label "
                        + "from its Service if nobody asked for this member to leave")
                    : step instanceof ScaleStep.CleanupFailed cleanupFailed
                    ? condition(DEGRADED, true, "CleanupFailed", "the cleanup of member " + cleanupFailed.member() + " after the scale-out failed: "
                        + cleanupFailed.message() + ". Run nodetool cleanup on it, then remove the annotation " + Annotations.CLEANUP_FAILURE + " from its Service")
                    : step instanceof ScaleStep.ReplacementRefused refused
                    ? condition(DEGRADED, true, EventReason.ReplacementRefused.name(), "member " + refused.member() + " must be replaced ("
                        + refused.cause() + "), but the replacement is refused: " + refused.message())
                    : step instanceof ScaleStep.AwaitNodeReturn absent && absent.replaceAt() == null
                    ? condition(DEGRADED, true, "NodeLossNotReplaced", absent.progress())
                    : condition(DEGRADED, false, "AsExpected", "no refused change, no failed operation"));
        }
        conditions.forEach(c -> c.setLastTransitionTime(now.toString()));
        status.setConditions(conditions);
        return status;
    }

    /**
     * The status after a reconcile failed with an error the operator did not expect (API refusal, permissions): the
     * previous status with Degraded saying what failed, so a user sees it without reading the operator's log.
     */
    public static ClusterStatus failed(Cluster cluster, Exception error, Instant now) {
        ClusterStatus status = cluster.getStatus() == null ? new ClusterStatus() : JSON.convertValue(cluster.getStatus(), ClusterStatus.class);
        String message = "reconciling failed and is retried: " + (error.getMessage() == null ? error.toString() : error.getMessage());
        List<Condition> conditions = new ArrayList<>(status.getConditions().stream().filter(c -> !DEGRADED.equals(c.getType())).toList());
        Condition degraded = condition(DEGRADED, true, "ReconcileFailed", message);
        degraded.setLastTransitionTime(now.toString());
        conditions.add(degraded);
        status.setConditions(conditions);
        return carryTransitionTimes(cluster.getStatus(), status);
    }

    /** Keeps each condition's lastTransitionTime when its status did not change, as Kubernetes conventions want. */
    public static ClusterStatus carryTransitionTimes(ClusterStatus previous, ClusterStatus next) {
        if (previous == null || previous.getConditions() == null) {
            return next;
        }
        for (Condition condition : next.getConditions()) {
            previous.getConditions().stream()
                    .filter(p -> p.getType().equals(condition.getType()) && p.getStatus().equals(condition.getStatus()))
                    .findFirst()
                    .ifPresent(p -> condition.setLastTransitionTime(p.getLastTransitionTime()));
        }
        return next;
    }

    public static boolean same(ClusterStatus a, ClusterStatus b) {
        return a != null && b != null && JSON.valueToTree(a).equals(JSON.valueToTree(b));
    }

    public static Optional<Condition> condition(ClusterStatus status, String type) {
        return status == null || status.getConditions() == null ? Optional.empty()
                : status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private static String leavingRack(ScaleStep step) {
        if (step instanceof ScaleStep.StartDecommission s) {
            return s.rack();
        } else if (step instanceof ScaleStep.ContinueDecommission c) {
            return c.rack();
        } else if (step instanceof ScaleStep.RemoveMember r) {
            return r.rack();
        } else if (step instanceof ScaleStep.DecommissionFailed f) {
            return f.rack();
        }
        return null;
    }

    private static String progressReason(ScaleStep step) {
        if (step instanceof ScaleStep.AddMember) {
            return "AddingMember";
        } else if (step instanceof ScaleStep.StartDecommission || step instanceof ScaleStep.ContinueDecommission) {
            return "Decommissioning";
        } else if (step instanceof ScaleStep.RemoveMember) {
            return "RemovingMember";
        } else if (step instanceof ScaleStep.CancelDecommission) {
            return "CancellingDecommission";
        } else if (step instanceof ScaleStep.StartCleanup || step instanceof ScaleStep.ContinueCleanup) {
            return "CleaningUp";
        } else if (step instanceof ScaleStep.StartReplacement || step instanceof ScaleStep.ContinueReplacement) {
            return "ReplacingMember";
        } else if (step instanceof ScaleStep.AwaitNodeReturn) {
            return "AwaitingNodeReturn";
        } else if (step instanceof ScaleStep.AbandonBootstrap || step instanceof ScaleStep.ContinueAbandonedBootstrap) {
            return EventReason.BootstrapAbandoned.name();
        }
        return "Waiting";
    }

    private static Condition condition(String type, boolean status, String reason, String message) {
        return new ConditionBuilder().withType(type).withStatus(status ? "True" : "False").withReason(reason).withMessage(message).build();
    }

    /**
     * Puts each member pod's version (its image's tag) into {@code versions}; returns how many of the rack's pods were
     * made from its StatefulSet's newest template (the controller's update revision).
     */
    static int memberVersions(ObservedCluster observed, String statefulSet, int replicas, Map<String, String> versions) {
        String updateRevision = observed.statefulSet(statefulSet).map(s -> s.getStatus() == null ? null : s.getStatus().getUpdateRevision())
                .orElse(null);
        int updated = 0;
        for (int ordinal = 0; ordinal < replicas; ordinal++) {
            Pod pod = observed.pods().get(statefulSet + "-" + ordinal);
            if (pod == null || pod.getMetadata().getDeletionTimestamp() != null || pod.getSpec() == null
                    || pod.getSpec().getContainers().isEmpty()) {
                continue;
            }
            String image = pod.getSpec().getContainers().get(0).getImage();
            versions.put(pod.getMetadata().getName(), image.substring(image.lastIndexOf(':') + 1));
            if (updateRevision != null && updateRevision.equals(RolloutGate.revision(pod))) {
                updated++;
            }
        }
        return updated;
    }
}
