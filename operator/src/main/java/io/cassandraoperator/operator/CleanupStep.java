package io.cassandraoperator.operator;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.Optional;

/**
 * Cleanup after a scale-out: the members that were there before a member joined still hold the data of the ranges
 * they handed over until {@code nodetool cleanup} runs on them. Recorded on each member Service: {@link #OWED} (the
 * run id, written before the new member starts), {@link #STARTED} (written before the agent is asked, so a restart
 * asks again under the same id and the agent never runs it twice), both removed when the agent reports DONE;
 * {@link #FAILURE} keeps Cassandra's message when it failed (the member is not retried; remove the annotation once
 * handled).
 */
final class CleanupStep {
    static final String OWED = "cassandra.rook.io/cleanup-run";
    static final String STARTED = "cassandra.rook.io/cleanup-started";
    static final String FAILURE = "cassandra.rook.io/cleanup-failure";
    private static final Logger LOG = LoggerFactory.getLogger(CleanupStep.class);

    private final Cluster cluster;
    private final ObservedCluster observed;
    private final ChildWriter writer;
    private final ClusterEvents events;
    private final AgentClient agent;
    private final OperatorSettings settings;

    CleanupStep(Cluster cluster, ObservedCluster observed, ChildWriter writer, ClusterEvents events, AgentClient agent,
                OperatorSettings settings) {
        this.cluster = cluster;
        this.observed = observed;
        this.writer = writer;
        this.events = events;
        this.agent = agent;
        this.settings = settings;
    }

    /** The run id of the cleanups a scale-out adding {@code member} makes owed. */
    static String runId(Cluster cluster, String member) {
        return "scale-out-g" + cluster.getMetadata().getGeneration() + "-" + member;
    }

    /** Marks a member as owing a cleanup unless it owes one already (one run after the last join is enough). */
    void owe(Service service, String runId) {
        if (service.getMetadata().getAnnotations() == null || !service.getMetadata().getAnnotations().containsKey(OWED)) {
            writer.updateMetadata(service, m -> m.addToAnnotations(OWED, runId));
        }
    }

    StepOutcome start(ScaleStep.StartCleanup start) {
        LOG.info("Cluster {}: the scale-out is complete; cleaning up member {} (run {})", clusterName(), start.member(), start.runId());
        writer.updateMetadata(observed.services().get(start.member()), m -> m.addToAnnotations(STARTED, start.runId()));
        return new StepOutcome(null, true, start);
    }

    StepOutcome proceed(ScaleStep.ContinueCleanup step) {
        String member = step.member();
        Pod pod = observed.pods().get(member);
        Optional<URI> uri = pod == null ? Optional.empty() : settings.agent(pod);
        Secret secret = observed.secrets().get(AgentTokenSecret.name(cluster));
        if (uri.isEmpty() || secret == null) {
            return new StepOutcome("waiting for the pod IP of " + member + " to reach its agent for the cleanup", true, step);
        }
        String token = AgentTokenSecret.token(secret);
        AgentClient.OperationState state;
        try {
            state = agent.getRun(uri.get(), Contract.AgentApi.CLEANUP, token, step.runId());
            if (AgentClient.OperationState.NOT_STARTED.equals(state.state())) {
                LOG.info("Cluster {}: asking the agent of {} to run cleanup {}", clusterName(), member, step.runId());
                state = agent.startRun(uri.get(), Contract.AgentApi.CLEANUP, token, step.runId());
            }
        } catch (AgentClient.AgentUnavailableException e) {
            LOG.info("Cluster {}: agent of {} not reachable for the cleanup, will retry: {}", clusterName(), member, e.getMessage());
            return new StepOutcome("cleaning up member " + member + ": its agent is not reachable yet (" + e.getMessage() + ")", true, step);
        }
        Service service = observed.services().get(member);
        switch (state.state()) {
            case AgentClient.OperationState.DONE -> {
                LOG.info("Cluster {}: cleanup {} of {} finished", clusterName(), step.runId(), member);
                writer.updateMetadata(service, m -> m.removeFromAnnotations(OWED).removeFromAnnotations(STARTED));
                String loads = state.loadBefore() == null ? ""
                        : " (load before " + state.loadBefore() + ", after " + state.loadAfter() + ")";
                events.normal(cluster, "CleanupFinished", "member " + member + " dropped the data it handed over in the scale-out" + loads);
                return new StepOutcome(null, false, step);
            }
            case AgentClient.OperationState.FAILED -> {
                String message = state.message() == null ? "no message" : state.message();
                LOG.warn("Cluster {}: cleanup {} of {} failed: {}", clusterName(), step.runId(), member, message);
                writer.updateMetadata(service, m -> m.removeFromAnnotations(OWED).removeFromAnnotations(STARTED).addToAnnotations(FAILURE, message));
                events.warning(cluster, "CleanupFailed", "cleanup of member " + member + " failed: " + message);
                return new StepOutcome(null, false, new ScaleStep.CleanupFailed(member, message));
            }
            default -> {
                return new StepOutcome("member " + member + " is cleaning up (its agent reports " + state.state()
                        + (state.message() == null ? "" : ": " + state.message()) + ")", true, step);
            }
        }
    }

    private String clusterName() {
        return cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName();
    }
}
