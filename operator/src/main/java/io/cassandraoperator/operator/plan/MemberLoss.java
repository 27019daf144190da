package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract.AgentExit;
import io.cassandraoperator.api.Contract.Annotations;
import io.cassandraoperator.api.Contract.Labels;
import io.cassandraoperator.api.GracePeriod;
import io.cassandraoperator.operator.observe.MemberRecords;
import io.cassandraoperator.operator.observe.ObservedCluster;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Why a member must be replaced on an empty disk, if it must: a user asked (label {@link Labels#REPLACE} on its
 * Service), its agent reports that its volume is empty while the ring knows its address (a wiped disk under a pod that
 * restarted: exit code {@link AgentExit#VOLUME_LOST}), the volume its claim is bound to is gone or failed, or the
 * member is not ready and no Node has existed for {@link NodeLossPolicy#gracePeriod()} that satisfies its host-pinned
 * volume's node affinity ({@link VolumeNodeAffinity}; the pod could never be scheduled again). A pod that merely
 * crash-loops for another reason is not lost: its data may still be there, and replacing it would throw a good replica
 * away. A ready member is never lost through its Node: it is serving, whatever the Node objects say.
 */
public final class MemberLoss {
    private MemberLoss() {
    }

    /**
     * The Node of a member's volume is absent: {@code since} is its record ({@link Annotations#NODE_ABSENT_SINCE}), null
     * while none is written; {@code replaceAt} is when the grace period ends, null when replacement on node loss is off.
     */
    public record NodeAbsence(String rack, String member, String evidence, Instant since, Instant replaceAt) {
    }

    /** A recorded absence that no longer holds: the Node is back, or the member is ready again. */
    public record NodeReturn(String member, Instant since, String why) {
    }

    /**
     * What this round found: the members to replace that no operation holds yet (in spec order, each with the refusal
     * that stops it, if any), the absences to record (after a live read confirms them), the records to remove, and the
     * recorded absences still waited out.
     */
    public record Assessment(List<ScalePlan.Loss> losses, List<NodeAbsence> unrecorded, List<NodeReturn> returned,
                             List<NodeAbsence> awaited) {
        /**
         * The plan's step, or, when it only waits (the absent member is not ready, so nothing else can start) or would
         * abandon the absent member's bootstrap, the wait for the first absent Node, which says until when and what comes then.
         */
        public ScaleStep over(ScaleStep step) {
            // A member whose Node is gone has no agent to confirm a bootstrap: its absence is what there is to say.
            boolean abandonsAbsent = step instanceof ScaleStep.AbandonBootstrap abandon
                    && Stream.concat(awaited.stream(), unrecorded.stream()).anyMatch(a -> a.member().equals(abandon.member()));
            if (!(step instanceof ScaleStep.Wait) && !abandonsAbsent) {
                return step;
            }
            return Stream.concat(awaited.stream(), unrecorded.stream()).findFirst()
                    .<ScaleStep>map(a -> new ScaleStep.AwaitNodeReturn(a.member(), a.evidence(), a.since(), a.replaceAt()))
                    .orElse(step);
        }
    }

    /**
     * Judges every member the StatefulSets have. No volume is judged while the Node cache is empty (not synced, or Nodes
     * not readable): every pinned volume would look orphaned.
     */
    public static Assessment assess(Cluster cluster, ObservedCluster observed, MemberRecords records, Instant now) {
        NodeLossPolicy policy = NodeLossPolicy.of(cluster);
        List<ScalePlan.Loss> losses = new ArrayList<>();
        List<NodeAbsence> unrecorded = new ArrayList<>();
        List<NodeReturn> returned = new ArrayList<>();
        List<NodeAbsence> awaited = new ArrayList<>();
        for (MemberRecords.Member member : records.members()) {
            if (records.recorded(member.name())) {
                continue;
            }
            Pod pod = observed.pods().get(member.name());
            List<PersistentVolumeClaim> claims = observed.nodes().isEmpty() ? List.of() : observed.claimsOf(member.name());
            Optional<String> immediate = immediateCause(member.service(), pod, claims, observed.volumes());
            if (immediate.isPresent()) {
                losses.add(loss(cluster, observed, records, member, immediate.get()));
                continue;
            }
            Optional<Instant> since = absentSince(member.service());
            Optional<String> orphaned = ObservedCluster.ready(pod) ? Optional.empty() : orphanedVolume(claims, observed.volumes(), observed.nodes());
            if (orphaned.isEmpty()) {
                since.ifPresent(s -> returned.add(new NodeReturn(member.name(), s, ObservedCluster.ready(pod)
                        ? "member " + member.name() + " is ready again" : "a Node satisfying its volume's node affinity exists again")));
                continue;
            }
            Instant replaceAt = policy.replace() ? since.orElse(now).plus(policy.gracePeriod()) : null;
            NodeAbsence absence = new NodeAbsence(member.rack(), member.name(), orphaned.get(), since.orElse(null), replaceAt);
            if (since.isEmpty()) {
                unrecorded.add(absence);
            } else if (replaceAt != null && !now.isBefore(replaceAt)) {
                losses.add(loss(cluster, observed, records, member, nodeLossCause(orphaned.get(), since.get(), policy)));
            } else {
                awaited.add(absence);
            }
        }
        return new Assessment(List.copyOf(losses), List.copyOf(unrecorded), List.copyOf(returned), List.copyOf(awaited));
    }

    private static ScalePlan.Loss loss(Cluster cluster, ObservedCluster observed, MemberRecords records, MemberRecords.Member member,
                                       String cause) {
        return new ScalePlan.Loss(member.rack(), member.name(), cause,
                ReplacementRefusal.check(cluster, observed, records, member.name()).orElse(null));
    }

    /**
     * The cause of a loss as the given objects show it, for the live confirmation before a replacement starts: an
     * immediate cause, or a recorded node absence whose grace period has passed while the member is not ready and no
     * given Node satisfies its volume.
     *
     * @param service the member's Service (holds the user's request and the absence record)
     * @param pod     the member's pod, if any (its container's exit code carries the agent's word)
     * @param claims  the member's claims
     * @param volumes the PersistentVolumes by name
     * @param nodes   every Node that exists
     */
    public static Optional<String> cause(Service service, Pod pod, Collection<PersistentVolumeClaim> claims, Map<String, PersistentVolume> volumes,
                                         Collection<Node> nodes, NodeLossPolicy policy, Instant now) {
        Optional<String> immediate = immediateCause(service, pod, claims, volumes);
        if (immediate.isPresent() || !policy.replace() || ObservedCluster.ready(pod)) {
            return immediate;
        }
        Optional<Instant> since = absentSince(service);
        if (since.isEmpty() || now.isBefore(since.get().plus(policy.gracePeriod()))) {
            return Optional.empty();
        }
        return orphanedVolume(claims, volumes, nodes).map(evidence -> nodeLossCause(evidence, since.get(), policy));
    }

    private static String nodeLossCause(String evidence, Instant since, NodeLossPolicy policy) {
        return evidence + ", absent since " + since + " (longer than the grace period " + GracePeriod.format(policy.gracePeriod()) + ")";
    }

    /** The causes that need no waiting: the user's label, the agent's lost-volume exit, a volume gone or failed. */
    public static Optional<String> immediateCause(Service service, Pod pod, Collection<PersistentVolumeClaim> claims,
                                                  Map<String, PersistentVolume> volumes) {
        if (service.getMetadata().getLabels() != null && service.getMetadata().getLabels().containsKey(Labels.REPLACE)) {
            return Optional.of("requested by the label " + Labels.REPLACE + " on its Service");
        }
        if (reportsLostVolume(pod)) {
            return Optional.of("its agent found its volume empty while the ring knows its address (Cassandra refuses to join; exit code "
                    + AgentExit.VOLUME_LOST + ")");
        }
        for (PersistentVolumeClaim claim : claims) {
            String volumeName = volumeName(claim);
            if (volumeName == null) {
                continue; // not bound yet: nothing is lost
            }
            PersistentVolume volume = volumes.get(volumeName);
            if (volume == null) {
                return Optional.of("its volume " + volumeName + " (claim " + claim.getMetadata().getName() + ") is gone");
            }
            if (volume.getStatus() != null && "Failed".equals(volume.getStatus().getPhase())) {
                return Optional.of("its volume " + volumeName + " failed");
            }
        }
        return Optional.empty();
    }

    /**
     * Which of the claims' volumes is pinned to hosts none of the Nodes is, in words; empty when every volume could be
     * mounted somewhere, is not pinned to hosts, or there are no Nodes to judge by.
     */
    public static Optional<String> orphanedVolume(Collection<PersistentVolumeClaim> claims, Map<String, PersistentVolume> volumes,
                                                  Collection<Node> nodes) {
        if (nodes.isEmpty()) {
            return Optional.empty();
        }
        for (PersistentVolumeClaim claim : claims) {
            String volumeName = volumeName(claim);
            PersistentVolume volume = volumeName == null ? null : volumes.get(volumeName);
            Optional<NodeSelector> pinning = volume == null ? Optional.empty() : VolumeNodeAffinity.hostPinning(volume);
            if (pinning.isPresent() && !VolumeNodeAffinity.anySatisfies(pinning.get(), nodes)) {
                return Optional.of("no Node satisfies the node affinity (" + VolumeNodeAffinity.describe(pinning.get()) + ") of its volume "
                        + volumeName + " (claim " + claim.getMetadata().getName() + ")");
            }
        }
        return Optional.empty();
    }

    /** The member's absence record; an unreadable one counts as none (it is written again, so the grace period restarts). */
    public static Optional<Instant> absentSince(Service service) {
        String value = service.getMetadata().getAnnotations() == null ? null : service.getMetadata().getAnnotations().get(Annotations.NODE_ABSENT_SINCE);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the pod's Cassandra container, not ready, last stopped with {@link AgentExit#VOLUME_LOST}: the agent's word that
     * the volume never joined the ring while the ring knows the member's address. A ready container is serving, whatever
     * an earlier exit said.
     */
    public static boolean reportsLostVolume(Pod pod) {
        if (pod == null || pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return false;
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(c -> !Boolean.TRUE.equals(c.getReady()))
                .anyMatch(c -> exitCode(c.getState()) == AgentExit.VOLUME_LOST || exitCode(c.getLastState()) == AgentExit.VOLUME_LOST);
    }

    private static int exitCode(ContainerState state) {
        return state == null || state.getTerminated() == null || state.getTerminated().getExitCode() == null ? -1
                : state.getTerminated().getExitCode();
    }

    private static String volumeName(PersistentVolumeClaim claim) {
        return claim.getSpec() == null ? null : claim.getSpec().getVolumeName();
    }
}
