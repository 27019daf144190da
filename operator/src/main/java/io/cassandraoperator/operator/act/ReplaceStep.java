package io.cassandraoperator.operator.act;

import io.cassandraoperator.api.Contract.Annotations;
import io.cassandraoperator.api.Contract.Labels;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.operator.model.MembersConfigMap;
import io.cassandraoperator.operator.observe.MemberRecords;
import io.cassandraoperator.operator.plan.MemberLoss;
import io.cassandraoperator.operator.plan.NodeLossPolicy;
import io.cassandraoperator.operator.plan.ScaleStep;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Replaces a lost member on an empty disk under its own address, one protocol step per reconcile, each recorded on
 * the member Service before anything depends on it, so a restarted operator resumes:
 * <ol>
 * <li>record {@link Annotations#REPLACE_CAUSE}, the UIDs of the claims to give up ({@link Annotations#REPLACE_CLAIMS})
 *     and of the pod on them ({@link Annotations#REPLACE_POD}), and the repair run it will owe
 *     ({@link Annotations#REPAIR_RUN});</li>
 * <li>the members ConfigMap carries {@code <member>.replace} (written for every member being replaced), so the agent
 *     starts Cassandra with {@code replace_address_first_boot} on the empty disk;</li>
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
    private static final Logger LOG = LoggerFactory.getLogger(ReplaceStep.class);

    private final StepContext context;
    private final LiveReads live;

    ReplaceStep(StepContext context, LiveReads live) {
        this.context = context;
        this.live = live;
    }

    StepOutcome start(ScaleStep.StartReplacement start) {
        String member = start.member();
        List<PersistentVolumeClaim> claims = context.observed().claimsOf(member);
        // The caches may lag behind the API: only live reads prove a volume or a Node gone before a claim is given up.
        Service current = live.service(member);
        Optional<String> confirmed = current == null ? Optional.empty() : MemberLoss.cause(current, live.pod(member), claims,
                live.volumes(claims), live.nodes(), NodeLossPolicy.of(context.cluster()), Instant.now());
        Service service = current == null ? context.service(member) : current;
        if (confirmed.isEmpty()) {
            return new StepOutcome("member " + member + " looked lost (" + start.cause() + ") but the API says otherwise; looking again",
                    false, new ScaleStep.Wait("confirming that member " + member + " is lost"));
        }
        String claimUids = claims.stream().map(c -> c.getMetadata().getUid()).collect(Collectors.joining(","));
        String runId = "replace-" + member + "-" + Instant.now().getEpochSecond();
        Pod pod = context.observed().pods().get(member);
        String podUid = pod == null ? "" : pod.getMetadata().getUid();
        LOG.info("Cluster {}: replacing member {} on an empty disk under its own address: {}; giving up claims {}",
                context.clusterName(), member, confirmed.get(), claims.stream().map(c -> c.getMetadata().getName()).toList());
        context.writer().updateMetadata(service, m -> m.addToAnnotations(Annotations.REPLACE_CAUSE, confirmed.get())
                .addToAnnotations(Annotations.REPLACE_CLAIMS, claimUids).addToAnnotations(Annotations.REPLACE_POD, podUid)
                .addToAnnotations(Annotations.REPAIR_RUN, runId).removeFromAnnotations(Annotations.REPAIR_FAILURE)
                .removeFromAnnotations(Annotations.NODE_ABSENT_SINCE));
        recordStarted(member, runId, confirmed.get());
        return new StepOutcome(null, false, new ScaleStep.ContinueReplacement(start.rack(), member, confirmed.get()));
    }

    /** Touches nothing: says once, in a Warning Event and the log, that the member is not replaced and why. */
    StepOutcome refuse(ScaleStep.ReplacementRefused refused) {
        Service service = context.service(refused.member());
        context.events().record(context.cluster(), EventReason.ReplacementRefused, "refused/" + refused.member() + "/"
                + service.getMetadata().getUid() + "/" + refused.cause(), "member " + refused.member() + " must be replaced ("
                + refused.cause() + "), but the replacement is refused: " + refused.message());
        return StepOutcome.nothingToDo(refused);
    }

    /** Recorded after the records, and again on every later round: an operator stopped in between did not record it. */
    private void recordStarted(String member, String runId, String cause) {
        context.events().record(context.cluster(), EventReason.ReplacementStarted, occurrence(member, runId),
                "replacing member " + member + " on an empty disk, keeping its address: " + cause);
    }

    /** A replacement is named by its repair run id, which is unique to it; one an older operator recorded without a run by its member. */
    private static String occurrence(String member, String runId) {
        return member + "/" + (runId == null ? "" : runId);
    }

    StepOutcome proceed(ScaleStep.ContinueReplacement step, Map<String, String> membersConfig) {
        String member = step.member();
        MemberRecords.Replacement record = context.records().replacement(member).orElseThrow();
        recordStarted(member, record.repairRun(), record.cause());
        if (!membersConfig.containsKey(member + Contract.MembersConfig.REPLACE_SUFFIX)) {
            return new StepOutcome("replacing member " + member + ": waiting for its replace mark in ConfigMap "
                    + MembersConfigMap.name(context.cluster()), false, step);
        }
        List<PersistentVolumeClaim> oldClaims = context.observed().claimsOf(member).stream()
                .filter(c -> record.claimUids().contains(c.getMetadata().getUid())).toList();
        Pod pod = context.observed().pods().get(member);
        // The pod that ran on the old disk must not count as the replaced member, even if its claim went first.
        boolean oldPod = pod != null && pod.getMetadata().getUid() != null && pod.getMetadata().getUid().equals(record.podUid());
        if (!oldClaims.isEmpty() || oldPod) {
            for (PersistentVolumeClaim claim : oldClaims) {
                if (claim.getMetadata().getDeletionTimestamp() == null) {
                    LOG.info("Cluster {}: deleting claim {} of member {}, so that its pod starts on an empty volume", context.clusterName(),
                            claim.getMetadata().getName(), member);
                    context.writer().delete(claim);
                }
            }
            // The claim stays while a pod uses it: the pod goes too, and comes back on the new claim.
            if (pod != null && pod.getMetadata().getDeletionTimestamp() == null) {
                LOG.info("Cluster {}: deleting pod {} that still uses the claim being given up", context.clusterName(), member);
                context.writer().delete(pod);
            }
            return new StepOutcome("replacing member " + member + " (" + step.cause() + "): waiting for its old claim and pod to go",
                    false, step);
        }
        if (!context.observed().ready(member)) {
            return new StepOutcome("replacing member " + member + " (" + step.cause() + "): waiting for it to stream its data back and be ready ("
                    + context.observed().podState(member) + ")", false, step);
        }
        if (record.repairRun() == null) {
            return finish(step, null, "no repair was recorded");
        }
        return repair(step, record.repairRun());
    }

    private StepOutcome repair(ScaleStep.ContinueReplacement step, String runId) {
        String member = step.member();
        AgentOperation.Call call = new AgentOperation.Call(member, Contract.AgentApi.REPAIR, runId,
                "replacing member " + member + ": repairing it after its replacement",
                "repair it (run " + runId + "): writes during its absence and its replacement may have reached it only as hints, "
                        + "which expire after max_hint_window", step, false);
        return context.agents().run(call, done -> finish(step, runId, "repaired"), message -> {
            LOG.warn("Cluster {}: the repair of replaced member {} failed: {}", context.clusterName(), member, message);
            context.events().record(context.cluster(), EventReason.RepairFailed, occurrence(member, runId), "the repair of replaced member "
                    + member + " failed: " + message + ". Run a full repair on it");
            context.writer().updateMetadata(context.service(member), m -> m.addToAnnotations(Annotations.REPAIR_FAILURE, message));
            return finish(step, runId, "repair failed: " + message);
        });
    }

    private StepOutcome finish(ScaleStep.ContinueReplacement step, String runId, String repair) {
        LOG.info("Cluster {}: member {} is replaced and ready ({}); removing the replacement record and mark", context.clusterName(),
                step.member(), repair);
        // Before the write that removes the records the Event is named after.
        context.events().record(context.cluster(), EventReason.ReplacementFinished, occurrence(step.member(), runId), "member "
                + step.member() + " was replaced on an empty disk and is ready (" + repair + ")");
        // Read live: the failure record written just before is not in the cache yet.
        Service current = live.service(step.member());
        context.writer().updateMetadata(current == null ? context.service(step.member()) : current, m -> m
                .removeFromAnnotations(Annotations.REPLACE_CAUSE).removeFromAnnotations(Annotations.REPLACE_CLAIMS)
                .removeFromAnnotations(Annotations.REPAIR_RUN).removeFromAnnotations(Annotations.REPLACE_POD)
                .removeFromLabels(Labels.REPLACE));
        return new StepOutcome(null, false, new ScaleStep.Steady());
    }
}
