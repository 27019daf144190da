package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Contract.AgentExit;
import io.cassandraoperator.api.Contract.Labels;
import io.cassandraoperator.operator.observe.MemberRecords;
import io.cassandraoperator.operator.observe.ObservedCluster;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Why a member must be replaced on an empty disk, if it must: a user asked (label {@link Labels#REPLACE} on its
 * Service), its agent reports that its volume is empty while the ring knows its address (a wiped disk under a pod that
 * restarted: exit code {@link AgentExit#VOLUME_LOST}), or its data cannot come back because the volume its claim is
 * bound to is gone, failed, or lives on a Node that no longer exists (a local PV: the pod could never be scheduled
 * again). A pod that merely crash-loops for another reason is not lost: its data may still be there, and replacing it
 * would throw a good replica away.
 */
public final class MemberLoss {
    /** The node-affinity key local PVs are pinned with. */
    public static final String HOSTNAME_KEY = "kubernetes.io/hostname";

    private MemberLoss() {
    }

    /**
     * The members to replace that no operation holds yet, in spec order. No volume is judged while the Node cache is
     * empty (not synced, or Nodes not readable): every pinned volume would look orphaned.
     */
    public static List<ScalePlan.Loss> losses(ObservedCluster observed, MemberRecords records) {
        List<ScalePlan.Loss> losses = new ArrayList<>();
        for (MemberRecords.Member member : records.members()) {
            if (records.recorded(member.name())) {
                continue;
            }
            List<PersistentVolumeClaim> claims = observed.nodes().isEmpty() ? List.of() : observed.claimsOf(member.name());
            cause(member.service(), observed.pods().get(member.name()), claims, observed.volumes(), observed.nodes())
                    .ifPresent(cause -> losses.add(new ScalePlan.Loss(member.rack(), member.name(), cause)));
        }
        return losses;
    }

    /**
     * @param service  the member's Service (holds the user's request)
     * @param pod      the member's pod, if any (its container's exit code carries the agent's word)
     * @param claims   the member's claims
     * @param volumes  every PersistentVolume by name, as the informer holds them
     * @param nodes    the names of every Node that exists
     */
    public static Optional<String> cause(Service service, Pod pod, Collection<PersistentVolumeClaim> claims, Map<String, PersistentVolume> volumes,
                                  Set<String> nodes) {
        if (service.getMetadata().getLabels() != null && service.getMetadata().getLabels().containsKey(Labels.REPLACE)) {
            return Optional.of("requested by the label " + Labels.REPLACE + " on its Service");
        }
        if (reportsLostVolume(pod)) {
            return Optional.of("its agent found its volume empty while the ring knows its address (Cassandra refuses to join; exit code "
                    + AgentExit.VOLUME_LOST + ")");
        }
        for (PersistentVolumeClaim claim : claims) {
            String volumeName = claim.getSpec() == null ? null : claim.getSpec().getVolumeName();
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
            Optional<String> node = pinnedNode(volume);
            if (node.isPresent() && !nodes.contains(node.get())) {
                return Optional.of("node " + node.get() + " holding its volume " + volumeName + " is gone");
            }
        }
        return Optional.empty();
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

    /** The one Node a local volume is pinned to by its required node affinity, if it is pinned to exactly one. */
    public static Optional<String> pinnedNode(PersistentVolume volume) {
        if (volume.getSpec() == null || volume.getSpec().getNodeAffinity() == null
                || volume.getSpec().getNodeAffinity().getRequired() == null) {
            return Optional.empty();
        }
        List<String> names = volume.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms().stream()
                .flatMap(term -> term.getMatchExpressions() == null ? java.util.stream.Stream.<NodeSelectorRequirement>empty()
                        : term.getMatchExpressions().stream())
                .filter(e -> HOSTNAME_KEY.equals(e.getKey()) && "In".equals(e.getOperator()) && e.getValues() != null)
                .flatMap(e -> e.getValues().stream())
                .distinct()
                .toList();
        return names.size() == 1 ? Optional.of(names.get(0)) : Optional.empty();
    }
}
