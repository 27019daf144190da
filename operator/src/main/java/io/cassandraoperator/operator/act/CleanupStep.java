package io.cassandraoperator.operator.act;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract.Annotations;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.api.Names;
import io.cassandraoperator.api.RackSpec;
import io.cassandraoperator.operator.model.RackStatefulSet;
import io.cassandraoperator.operator.plan.ScaleStep;
import io.fabric8.kubernetes.api.model.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Cleanup after a scale-out: the members that were there before a member joined still hold the data of the ranges
 * they handed over until {@code nodetool cleanup} runs on them. Recorded on each member Service:
 * {@link Annotations#CLEANUP_RUN} (the run id, written before the new member starts), {@link Annotations#CLEANUP_STARTED}
 * (written before the agent is asked, so a restart asks again under the same id and the agent never runs it twice),
 * both removed when the agent reports DONE; {@link Annotations#CLEANUP_FAILURE} keeps Cassandra's message when it
 * failed (the member is not retried; remove the annotation once handled).
 */
final class CleanupStep {
    private static final Logger LOG = LoggerFactory.getLogger(CleanupStep.class);

    private final StepContext context;

    CleanupStep(StepContext context) {
        this.context = context;
    }

    /** The run id of the cleanups a scale-out adding {@code member} makes owed. */
    static String runId(Cluster cluster, String member) {
        return "scale-out-g" + cluster.getMetadata().getGeneration() + "-" + member;
    }

    /**
     * Marks every member the StatefulSets have as owing a cleanup unless it owes one already (one run after the last
     * join is enough); recorded before the new member starts, so whatever happens next the owed cleanups are known.
     */
    void oweAll(String runId, Map<String, Service> services) {
        Cluster cluster = context.cluster();
        for (RackSpec rack : cluster.getSpec().getDatacenter().getRacks()) {
            for (int ordinal = 0; ordinal < context.observed().replicas(RackStatefulSet.name(cluster, rack.getName())); ordinal++) {
                Service service = services.get(Names.member(cluster.getMetadata().getName(), cluster.getSpec().getDatacenter().getName(),
                        rack.getName(), ordinal));
                if (service != null && (service.getMetadata().getAnnotations() == null
                        || !service.getMetadata().getAnnotations().containsKey(Annotations.CLEANUP_RUN))) {
                    context.writer().updateMetadata(service, m -> m.addToAnnotations(Annotations.CLEANUP_RUN, runId));
                }
            }
        }
    }

    StepOutcome start(ScaleStep.StartCleanup start) {
        LOG.info("Cluster {}: the scale-out is complete; cleaning up member {} (run {})", context.clusterName(), start.member(), start.runId());
        context.writer().updateMetadata(context.service(start.member()), m -> m.addToAnnotations(Annotations.CLEANUP_STARTED, start.runId()));
        return new StepOutcome(null, true, start);
    }

    StepOutcome proceed(ScaleStep.ContinueCleanup step) {
        String member = step.member();
        AgentOperation.Call call = new AgentOperation.Call(member, Contract.AgentApi.CLEANUP, step.runId(),
                "member " + member + " is cleaning up", "run cleanup " + step.runId(), step, false);
        return context.agents().run(call, done -> {
            LOG.info("Cluster {}: cleanup {} of {} finished", context.clusterName(), step.runId(), member);
            String loads = done.loadBefore() == null ? "" : " (load before " + done.loadBefore() + ", after " + done.loadAfter() + ")";
            // Before the write that removes the record: a round repeated after a stop finds the same run and Event name.
            context.events().record(context.cluster(), EventReason.CleanupFinished, member + "/" + step.runId(), "member " + member
                    + " dropped the data it handed over in the scale-out" + loads);
            context.writer().updateMetadata(context.service(member), m -> m.removeFromAnnotations(Annotations.CLEANUP_RUN)
                    .removeFromAnnotations(Annotations.CLEANUP_STARTED));
            return new StepOutcome(null, false, step);
        }, message -> {
            LOG.warn("Cluster {}: cleanup {} of {} failed: {}", context.clusterName(), step.runId(), member, message);
            context.events().record(context.cluster(), EventReason.CleanupFailed, member + "/" + step.runId(),
                    "cleanup of member " + member + " failed: " + message);
            context.writer().updateMetadata(context.service(member), m -> m.removeFromAnnotations(Annotations.CLEANUP_RUN)
                    .removeFromAnnotations(Annotations.CLEANUP_STARTED).addToAnnotations(Annotations.CLEANUP_FAILURE, message));
            return new StepOutcome(null, false, new ScaleStep.CleanupFailed(member, message));
        });
    }
}
