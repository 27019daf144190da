package io.cassandraoperator.operator.act;

import io.cassandraoperator.api.Contract.Labels;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.operator.model.DesiredHash;
import io.cassandraoperator.operator.model.RackStatefulSet;
import io.cassandraoperator.operator.observe.MemberRecords;
import io.cassandraoperator.operator.observe.ObservedCluster;
import io.fabric8.kubernetes.api.model.Service;
import io.cassandraoperator.operator.plan.ScalePlan;
import io.cassandraoperator.operator.plan.ScaleStep;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * One step of the decommission protocol (docs/architecture.md) for one member. Each step reads its record from the
 * member Service, acts, and writes the next record before anything depends on it, so an operator restarted between
 * any two steps resumes: label {@code false} (intent) → agent asked, once, after it reports NOT_STARTED → label
 * {@code true} when Cassandra reports DONE → replicas lowered → pod gone → claim and Service deleted.
 */
final class DecommissionStep {
    private static final Logger LOG = LoggerFactory.getLogger(DecommissionStep.class);

    private final StepContext context;

    DecommissionStep(StepContext context) {
        this.context = context;
    }

    StepOutcome start(ScaleStep.StartDecommission start) {
        if (context.service(start.member()) == null) {
            return missingService(start.member(), start);
        }
        LOG.info("Cluster {}: rack {} has more members than the spec wants; decommissioning its highest member {}",
                context.clusterName(), start.rack(), start.member());
        Service intent = context.writer().updateMetadata(context.service(start.member()), m -> m.addToLabels(Labels.DECOMMISSIONED, "false")
                .addToAnnotations(Contract.Annotations.DECOMMISSION_STARTED, String.valueOf(Instant.now().getEpochSecond())));
        recordStarted(intent, start.member(), start.rack());
        return new StepOutcome(null, true, start);
    }

    /** Recorded after the intent, and again on every later round: an operator stopped in between did not record it. */
    private void recordStarted(Service service, String member, String rack) {
        context.events().record(context.cluster(), EventReason.DecommissionStarted, MemberRecords.decommissionAttempt(service),
                "decommissioning member " + member + " of rack " + rack + ": the spec wants fewer members in it");
    }

    private void recordFinished(Service service, String member) {
        context.events().record(context.cluster(), EventReason.DecommissionFinished, MemberRecords.decommissionAttempt(service),
                "member " + member + " left the ring; removing its pod, Service and claim");
    }

    private void recordFailed(Service service, String member, String message) {
        context.events().record(context.cluster(), EventReason.DecommissionFailed, MemberRecords.decommissionAttempt(service),
                "decommission of member " + member + " failed, the member stays: " + message);
    }

    /** A failed decommission waits for the user; its Event is made sure of while it does. */
    StepOutcome failed(ScaleStep.DecommissionFailed step) {
        Service service = context.service(step.member());
        if (service != null) {
            recordFailed(service, step.member(), step.message());
        }
        return StepOutcome.nothingToDo(step);
    }

    StepOutcome proceed(ScaleStep.ContinueDecommission step) {
        String member = step.member();
        if (context.service(member) == null) {
            return missingService(member, step);
        }
        recordStarted(context.service(member), member, step.rack());
        AgentOperation.Call call = new AgentOperation.Call(member, Contract.AgentApi.DECOMMISSION, null,
                "member " + member + " is decommissioning", "decommission it", step, true);
        return context.agents().run(call, done -> {
            LOG.info("Cluster {}: Cassandra reports {} decommissioned; recording it", context.clusterName(), member);
            confirm(member);
            return new StepOutcome(null, false, step);
        }, message -> {
            Service service = context.service(member);
            if (seen(message).equals(annotation(service, Contract.Annotations.DECOMMISSION_FAILURE_SEEN))) {
                // The failure was recorded and its record removed since: the user asks for another run.
                LOG.info("Cluster {}: the failure record of {}'s decommission was removed; starting it again", context.clusterName(), member);
                context.writer().updateMetadata(service, m -> m.removeFromAnnotations(Contract.Annotations.DECOMMISSION_FAILURE_SEEN));
                return context.agents().startAgain(call);
            }
            LOG.warn("Cluster {}: decommission of {} failed, the member stays: {}", context.clusterName(), member, message);
            context.writer().updateMetadata(service, m -> m.addToAnnotations(Contract.Annotations.DECOMMISSION_FAILURE, message)
                    .addToAnnotations(Contract.Annotations.DECOMMISSION_FAILURE_SEEN, seen(message)));
            recordFailed(service, member, message);
            return new StepOutcome(null, false, new ScaleStep.DecommissionFailed(step.rack(), member, message));
        });
    }

    /** The label and, with it, the record of the agent's DONE for this very Service: what lets the member go. */
    private void confirm(String member) {
        Service service = context.service(member);
        context.writer().updateMetadata(service, m -> m.addToLabels(Labels.DECOMMISSIONED, "true")
                .addToAnnotations(Contract.Annotations.DECOMMISSION_CONFIRMED, service.getMetadata().getUid()));
        recordFinished(service, member);
    }

    /**
     * A label {@code true} without the record of the agent's DONE: asks the agent, never starting anything. Only its
     * DONE confirms; anything else (another state, no pod, no agent) removes nothing.
     */
    StepOutcome verify(ScaleStep.VerifyDecommission step) {
        String member = step.member();
        AgentOperation.Call call = new AgentOperation.Call(member, Contract.AgentApi.DECOMMISSION, null,
                "member " + member + " is labelled decommissioned", "report its decommission", step, false);
        return context.agents().check(call, done -> {
            LOG.info("Cluster {}: the agent of {} confirms the decommission its Service's label records", context.clusterName(), member);
            confirm(member);
            return new StepOutcome(null, false, step);
        }, agentSays -> {
            LOG.warn("Cluster {}: member {} is labelled {}=true but its agent reports {}; removing nothing", context.clusterName(),
                    member, Labels.DECOMMISSIONED, agentSays);
            ScaleStep.DecommissionUnconfirmed unconfirmed = new ScaleStep.DecommissionUnconfirmed(step.rack(), member, agentSays);
            context.events().record(context.cluster(), EventReason.DecommissionUnconfirmed,
                    MemberRecords.decommissionAttempt(context.service(member)) + "/unconfirmed",
                    "member " + member + " is labelled " + Labels.DECOMMISSIONED + "=true but its agent reports " + agentSays
                            + "; nothing is removed. Remove the label if nobody asked for this member to leave");
            return new StepOutcome(null, true, unconfirmed);
        });
    }

    StepOutcome remove(ScaleStep.RemoveMember remove) {
        Service service = context.service(remove.member());
        recordFinished(service, remove.member());
        StatefulSet statefulSet = context.observed().statefulSets().get(RackStatefulSet.name(context.cluster(), remove.rack()));
        if (statefulSet != null && ObservedCluster.replicas(statefulSet) > remove.ordinal()) {
            LOG.info("Cluster {}: {} is decommissioned; lowering StatefulSet {} to {} replicas", context.clusterName(), remove.member(),
                    statefulSet.getMetadata().getName(), remove.ordinal());
            context.writer().update(new StatefulSetBuilder(statefulSet).editSpec().withReplicas(remove.ordinal()).endSpec().build());
            return new StepOutcome(null, false, remove);
        }
        if (context.observed().pods().containsKey(remove.member())) {
            return new StepOutcome("waiting for the pod of decommissioned member " + remove.member() + " to terminate", false, remove);
        }
        for (PersistentVolumeClaim claim : context.observed().claimsOf(remove.member())) {
            LOG.info("Cluster {}: deleting claim {} of decommissioned member {}", context.clusterName(), claim.getMetadata().getName(),
                    remove.member());
            context.writer().delete(claim);
        }
        // The Event before the Service: once the Service is gone nothing is left to say that it is owed.
        context.events().record(context.cluster(), EventReason.MemberRemoved, MemberRecords.decommissionAttempt(service),
                "member " + remove.member() + " was decommissioned and removed with its claim");
        // The Service goes last: it holds the record that this member's decommission finished, so it goes only at the
        // version whose record the plan read.
        LOG.info("Cluster {}: deleting the Service of decommissioned member {}", context.clusterName(), remove.member());
        context.writer().deleteUnchanged(service);
        return new StepOutcome(null, false, remove);
    }

    StepOutcome cancel(ScaleStep.CancelDecommission cancel) {
        LOG.info("Cluster {}: the spec wants member {} again; clearing its failed decommission", context.clusterName(), cancel.member());
        Service service = context.service(cancel.member());
        // Before the write: the write removes the attempt the Event is named after.
        context.events().record(context.cluster(), EventReason.DecommissionCancelled, MemberRecords.decommissionAttempt(service),
                "member " + cancel.member() + " stays: the spec wants it again");
        context.writer().updateMetadata(service, m -> m.removeFromLabels(Labels.DECOMMISSIONED)
                .removeFromAnnotations(Contract.Annotations.DECOMMISSION_FAILURE).removeFromAnnotations(Contract.Annotations.DECOMMISSION_FAILURE_SEEN)
                .removeFromAnnotations(Contract.Annotations.DECOMMISSION_STARTED));
        return new StepOutcome(null, false, cancel);
    }

    /**
     * Records the retry on the member Service (the failure removed, the count raised) before asking the agent to start
     * again: a round that crashes in between finds the agent's FAILED, records it, and retries within the same bound.
     */
    StepOutcome retry(ScaleStep.RetryDecommission retry) {
        Service service = context.service(retry.member());
        String message = "decommission of member " + retry.member() + " is tried again (retry " + retry.retry() + " of "
                + ScalePlan.DECOMMISSION_RETRIES + "): it failed on a stream (" + firstLine(retry.failure())
                + ") and every member is ready again; the member kept all its data";
        LOG.info("Cluster {}: {}", context.clusterName(), message);
        context.events().record(context.cluster(), EventReason.DecommissionRetried,
                MemberRecords.decommissionAttempt(service) + "/retry-" + retry.retry(), message);
        context.writer().updateMetadata(service, m -> m.removeFromAnnotations(Contract.Annotations.DECOMMISSION_FAILURE)
                .removeFromAnnotations(Contract.Annotations.DECOMMISSION_FAILURE_SEEN)
                .addToAnnotations(Contract.Annotations.DECOMMISSION_RETRIES, Integer.toString(retry.retry())));
        AgentOperation.Call call = new AgentOperation.Call(retry.member(), Contract.AgentApi.DECOMMISSION, null,
                "member " + retry.member() + " is decommissioning", "decommission it again", retry, true);
        return context.agents().startAgain(call);
    }

    private static String seen(String failure) {
        return DesiredHash.ofPart(failure, "a decommission failure");
    }

    private static String annotation(Service service, String key) {
        return service.getMetadata().getAnnotations() == null ? null : service.getMetadata().getAnnotations().get(key);
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse(text);
    }

    /** The record lives on the member Service: without it in the cache, nothing may be decided. */
    private StepOutcome missingService(String member, ScaleStep step) {
        return new StepOutcome("waiting for the Service of member " + member + " to hold the decommission record", false, step);
    }
}
