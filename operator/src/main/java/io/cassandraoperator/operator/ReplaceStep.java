package io.cassandraoperator.operator;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.Contract.Labels;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Replaces a lost member on an empty disk under its own address, one protocol step per reconcile, each recorded on
 * the member Service before anything depends on it, so a restarted operator resumes:
 * <ol>
 * <li>record {@link #CAUSE}, the UIDs of the claims to give up ({@link #CLAIMS}) and of the pod on them ({@link #POD}),
 *     and the repair run it will owe ({@link #REPAIR_RUN});</li>
 * <li>the members ConfigMap carries {@code <member>.replace} (written by the reconciler for every recorded member), so
 *     the agent starts Cassandra with {@code replace_address_first_boot} on the empty disk;</li>
 * <li>delete the recorded claims and the member's pod until neither a recorded claim nor the recorded pod is left (the
 *     StatefulSet controller then creates a new claim and pod, schedulable anywhere);</li>
 * <li>wait for the member to be ready (Cassandra NORMAL: it streamed its ranges back);</li>
 * <li>full repair through the agent under the recorded run id: Cassandra forwards no writes to a node replacing one
 *     with the same address, and hints for it are kept only for {@code max_hint_window}; the operator cannot know how
 *     long the member was down, so it always repairs;</li>
 * <li>remove the records and the user's {@link Labels#REPLACE} label; the ConfigMap loses the mark in the same round.</li>
 * </ol>
 * Claims are identified by UID, not name: a claim the StatefulSet controller created after the deletion has the same
 * name and must be kept.
 */
final class ReplaceStep {
    static final String CAUSE = "cassandra.rook.io/replace-cause";
    static final String CLAIMS = "cassandra.rook.io/replace-claims";
    static final String POD = "cassandra.rook.io/replace-pod";
    static final String REPAIR_RUN = "cassandra.rook.io/repair-run";
    static final String REPAIR_FAILURE = "cassandra.rook.io/repair-failure";
    private static final Logger LOG = LoggerFactory.getLogger(ReplaceStep.class);

    private final Cluster cluster;
    private final ObservedCluster observed;
    private final KubernetesClient client;
    private final ChildWriter writer;
    private final ClusterEvents events;
    private final AgentClient agent;
    private final OperatorSettings settings;

    ReplaceStep(Cluster cluster, ObservedCluster observed, KubernetesClient client, ChildWriter writer, ClusterEvents events,
                AgentClient agent, OperatorSettings settings) {
        this.cluster = cluster;
        this.observed = observed;
        this.client = client;
        this.writer = writer;
        this.events = events;
        this.agent = agent;
        this.settings = settings;
    }

    /** The member's claims (one per claim template), by the StatefulSet naming {@code <template>-<member>}. */
    static List<PersistentVolumeClaim> claimsOf(ObservedCluster observed, String member) {
        return observed.claims().values().stream().filter(c -> c.getMetadata().getName().endsWith("-" + member)).toList();
    }

    StepOutcome start(ScaleStep.StartReplacement start) {
        String member = start.member();
        Service service = observed.services().get(member);
        List<PersistentVolumeClaim> claims = claimsOf(observed, member);
        // The caches may lag behind the API: only live reads prove a volume or a Node gone before a claim is given up.
        Optional<String> confirmed = MemberLoss.cause(service, livePod(member), claims, liveVolumes(claims), liveNodes(claims));
        if (confirmed.isEmpty()) {
            return new StepOutcome("member " + member + " looked lost (" + start.cause() + ") but the API says otherwise; looking again",
                    false,
                    new ScaleStep.Wait("confirming that member " + member + " is lost"));
        }
        String claimUids = claims.stream().map(c -> c.getMetadata().getUid()).collect(Collectors.joining(","));
        String runId = "replace-" + member + "-" + Instant.now().getEpochSecond();
        Pod pod = observed.pods().get(member);
        String podUid = pod == null ? "" : pod.getMetadata().getUid();
        LOG.info("Cluster {}: replacing member {} on an empty disk under its own address: {}; giving up claims {}",
                clusterName(), member, confirmed.get(), claims.stream().map(c -> c.getMetadata().getName()).toList());
        writer.updateMetadata(service, m -> m.addToAnnotations(CAUSE, confirmed.get()).addToAnnotations(CLAIMS, claimUids).addToAnnotations(POD, podUid)
                .addToAnnotations(REPAIR_RUN, runId).removeFromAnnotations(REPAIR_FAILURE));
        events.warning(cluster, "ReplacementStarted", "replacing member " + member + " on an empty disk, keeping its address: "
                + confirmed.get());
        return new StepOutcome(null, false, new ScaleStep.ContinueReplacement(start.rack(), member, confirmed.get()));
    }

    StepOutcome proceed(ScaleStep.ContinueReplacement step, Map<String, String> membersConfig) {
        String member = step.member();
        Service service = observed.services().get(member);
        Map<String, String> records = service.getMetadata().getAnnotations();
        if (!membersConfig.containsKey(member + Contract.MembersConfig.REPLACE_SUFFIX)) {
            return new StepOutcome("replacing member " + member + ": waiting for its replace mark in ConfigMap "
                    + MembersConfigMap.name(cluster), false, step);
        }
        Set<String> givenUp = new HashSet<>(Arrays.asList(records.getOrDefault(CLAIMS, "").split(",")));
        List<PersistentVolumeClaim> oldClaims = claimsOf(observed, member).stream()
                .filter(c -> givenUp.contains(c.getMetadata().getUid())).toList();
        Pod pod = observed.pods().get(member);
        // The pod that ran on the old disk must not count as the replaced member, even if its claim went first.
        boolean oldPod = pod != null && pod.getMetadata().getUid() != null && pod.getMetadata().getUid().equals(records.get(POD));
        if (!oldClaims.isEmpty() || oldPod) {
            for (PersistentVolumeClaim claim : oldClaims) {
                if (claim.getMetadata().getDeletionTimestamp() == null) {
                    LOG.info("Cluster {}: deleting claim {} of member {}, so that its pod starts on an empty volume", clusterName(),
                            claim.getMetadata().getName(), member);
                    writer.delete(claim);
                }
            }
            // The claim stays while a pod uses it: the pod goes too, and comes back on the new claim.
            if (pod != null && pod.getMetadata().getDeletionTimestamp() == null) {
                LOG.info("Cluster {}: deleting pod {} that still uses the claim being given up", clusterName(), member);
                writer.delete(pod);
            }
            return new StepOutcome("replacing member " + member + " (" + step.cause() + "): waiting for its old claim and pod to go",
                    false, step);
        }
        if (!observed.ready(member)) {
            return new StepOutcome("replacing member " + member + " (" + step.cause() + "): waiting for it to stream its data back and be ready ("
                    + observed.podState(member) + ")", false, step);
        }
        return repair(step, service, records.get(REPAIR_RUN));
    }

    private StepOutcome repair(ScaleStep.ContinueReplacement step, Service service, String runId) {
        String member = step.member();
        Pod pod = observed.pods().get(member);
        Optional<URI> uri = settings.agent(pod);
        Secret secret = observed.secrets().get(AgentTokenSecret.name(cluster));
        if (runId == null) {
            return finish(step, service, "no repair was recorded");
        }
        if (uri.isEmpty() || secret == null) {
            return new StepOutcome("replacing member " + member + ": waiting for its pod IP and the agent token to repair it", true, step);
        }
        String token = AgentTokenSecret.token(secret);
        AgentClient.OperationState state;
        try {
            // Ask first: a run started before a restart is never started twice (the agent never re-runs an id either).
            state = agent.getRun(uri.get(), Contract.AgentApi.REPAIR, token, runId);
            if (AgentClient.OperationState.NOT_STARTED.equals(state.state())) {
                LOG.info("Cluster {}: member {} is back; repairing it (run {}): writes during its absence and its replacement "
                        + "may have reached it only as hints, which expire after max_hint_window", clusterName(), member, runId);
                state = agent.startRun(uri.get(), Contract.AgentApi.REPAIR, token, runId);
            }
        } catch (AgentClient.AgentUnavailableException e) {
            return new StepOutcome("replacing member " + member + ": its agent is not reachable for the repair yet (" + e.getMessage() + ")",
                    true, step);
        }
        switch (state.state()) {
            case AgentClient.OperationState.DONE -> {
                return finish(step, service, "repaired");
            }
            case AgentClient.OperationState.FAILED -> {
                String message = state.message() == null ? "no message" : state.message();
                LOG.warn("Cluster {}: the repair of replaced member {} failed: {}", clusterName(), member, message);
                events.warning(cluster, "RepairFailed", "the repair of replaced member " + member + " failed: " + message
                        + ". Run a full repair on it");
                writer.updateMetadata(service, m -> m.addToAnnotations(REPAIR_FAILURE, message));
                return finish(step, observed.services().get(member), "repair failed: " + message);
            }
            default -> {
                return new StepOutcome("replacing member " + member + ": repairing it after its replacement (its agent reports "
                        + state.state() + ")", true, step);
            }
        }
    }

    private StepOutcome finish(ScaleStep.ContinueReplacement step, Service service, String repair) {
        LOG.info("Cluster {}: member {} is replaced and ready ({}); removing the replacement record and mark", clusterName(),
                step.member(), repair);
        Service current = client.services().inNamespace(cluster.getMetadata().getNamespace()).withName(step.member()).get();
        writer.updateMetadata(current == null ? service : current, m -> m.removeFromAnnotations(CAUSE).removeFromAnnotations(CLAIMS)
                .removeFromAnnotations(REPAIR_RUN).removeFromAnnotations(POD).removeFromLabels(Labels.REPLACE));
        events.normal(cluster, "ReplacementFinished", "member " + step.member() + " was replaced on an empty disk and is ready ("
                + repair + ")");
        return new StepOutcome(null, false, new ScaleStep.Steady());
    }

    private Pod livePod(String member) {
        return client.pods().inNamespace(cluster.getMetadata().getNamespace()).withName(member).get();
    }

    private Map<String, PersistentVolume> liveVolumes(List<PersistentVolumeClaim> claims) {
        Map<String, PersistentVolume> volumes = new HashMap<>();
        for (PersistentVolumeClaim claim : claims) {
            String name = claim.getSpec() == null ? null : claim.getSpec().getVolumeName();
            PersistentVolume volume = name == null ? null : client.persistentVolumes().withName(name).get();
            if (volume != null) {
                volumes.put(name, volume);
            }
        }
        return volumes;
    }

    private Set<String> liveNodes(List<PersistentVolumeClaim> claims) {
        Set<String> nodes = new HashSet<>();
        for (PersistentVolume volume : liveVolumes(claims).values()) {
            MemberLoss.pinnedNode(volume).filter(n -> client.nodes().withName(n).get() != null).ifPresent(nodes::add);
        }
        return nodes;
    }

    private String clusterName() {
        return cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName();
    }
}
