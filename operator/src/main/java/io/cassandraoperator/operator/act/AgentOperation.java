package io.cassandraoperator.operator.act;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.agent.NodeStatus;
import io.cassandraoperator.api.agent.OperationReport;
import io.cassandraoperator.api.agent.OperationState;
import io.cassandraoperator.api.agent.RunReport;
import io.cassandraoperator.operator.OperatorSettings;
import io.cassandraoperator.operator.model.AgentTokenSecret;
import io.cassandraoperator.operator.observe.ObservedCluster;
import io.cassandraoperator.operator.plan.ScaleStep;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.function.Function;

/**
 * The sequence every step shares to run a node operation through a member's agent: find the agent (pod IP and token),
 * ask for the operation's state first, start it only when the agent reports NOT_STARTED (an operation started before
 * an operator restart is never started twice; a run is keyed by the id recorded on the member Service), and turn the
 * answer into the step's outcome. The step decides only what DONE and FAILED mean for its records and Events; a
 * missing agent, an unreachable one, a busy one and a running operation all mean: look again after the poll interval.
 * Every call names its member; an agent that runs another one (a stale cache meeting a reused pod IP) refuses it.
 */
final class AgentOperation {
    private static final Logger LOG = LoggerFactory.getLogger(AgentOperation.class);

    /**
     * One call of one step.
     *
     * @param member   the member whose agent runs it
     * @param path     the operation's path ({@link io.cassandraoperator.api.Contract.AgentApi})
     * @param runId    the run's id for a repeatable operation; null for a one-off (decommission)
     * @param doing    what the member is doing, for Progressing ("member m is decommissioning")
     * @param purpose  what the agent is asked to do and why, for the log line when it is started
     * @param step     the step to report in every outcome
     * @param pollSoon whether the next step waits for this one's end (a decommission): looked at again sooner
     */
    record Call(String member, String path, String runId, String doing, String purpose, ScaleStep step, boolean pollSoon) {
    }

    private final Cluster cluster;
    private final ObservedCluster observed;
    private final OperatorSettings settings;
    private final AgentClient client;

    AgentOperation(Cluster cluster, ObservedCluster observed, OperatorSettings settings, AgentClient client) {
        this.cluster = cluster;
        this.observed = observed;
        this.settings = settings;
        this.client = client;
    }

    /** Runs the call; {@code done} and {@code failed} (given Cassandra's message) are the step's own. */
    StepOutcome run(Call call, Function<RunReport, StepOutcome> done, Function<String, StepOutcome> failed) {
        Optional<Agent> agent = agentOf(call.member());
        if (agent.isEmpty()) {
            return new StepOutcome(call.doing() + ": waiting for its pod IP and the agent token to reach its agent", true, call.step());
        }
        RunReport report;
        try {
            report = get(call, agent.get());
            if (report.state() == OperationState.NOT_STARTED) {
                LOG.info("Cluster {}: asking the agent of {} at {} to {}", clusterName(), call.member(), agent.get().uri(), call.purpose());
                report = start(call, agent.get());
            }
        } catch (AgentClient.AgentBusyException e) {
            return new StepOutcome(call.doing() + " (its agent reports BUSY: " + e.getMessage() + ")", true, call.step(), call.pollSoon());
        } catch (IOException e) {
            LOG.info("Cluster {}: agent of {} not reachable, will retry: {}", clusterName(), call.member(), e.getMessage());
            return new StepOutcome(call.doing() + ": its agent is not reachable yet (" + e.getMessage() + ")", true, call.step());
        }
        return switch (report.state()) {
            case DONE -> done.apply(report);
            case FAILED -> failed.apply(report.message() == null ? "no message" : report.message());
            default -> new StepOutcome(call.doing() + " (its agent reports " + report.state()
                    + (report.message() == null ? "" : ": " + report.message()) + ")", true, call.step(), call.pollSoon());
        };
    }

    /**
     * Starts a one-off operation again whose last run FAILED (the agent starts a new run then; it never starts a
     * second while one runs or after one is DONE). The outcome only polls: the next round follows the new run.
     */
    StepOutcome startAgain(Call call) {
        Optional<Agent> agent = agentOf(call.member());
        if (agent.isEmpty()) {
            return new StepOutcome(call.doing() + ": waiting for its pod IP and the agent token to reach its agent", true, call.step());
        }
        try {
            LOG.info("Cluster {}: asking the agent of {} at {} to {}", clusterName(), call.member(), agent.get().uri(), call.purpose());
            start(call, agent.get());
        } catch (IOException e) {
            LOG.info("Cluster {}: agent of {} not reachable, will retry: {}", clusterName(), call.member(), e.getMessage());
        }
        return new StepOutcome(call.doing(), true, call.step(), call.pollSoon());
    }

    /**
     * Asks for the operation's state and never starts it: {@code done} on DONE, {@code otherwise} with what stands in
     * its way (another state, Cassandra's message, no pod or agent to ask) in words.
     */
    StepOutcome check(Call call, Function<RunReport, StepOutcome> done, Function<String, StepOutcome> otherwise) {
        Optional<Agent> agent = agentOf(call.member());
        if (agent.isEmpty()) {
            return otherwise.apply("no pod IP or agent token to ask it");
        }
        RunReport report;
        try {
            report = get(call, agent.get());
        } catch (IOException e) {
            return otherwise.apply("its agent is not reachable: " + e.getMessage());
        }
        if (report.state() == OperationState.DONE) {
            return done.apply(report);
        }
        return otherwise.apply(report.state() + (report.message() == null ? "" : ": " + report.message()));
    }

    /** What a member's agent says of its node, or, {@code status} null, why it says nothing, in words. */
    record NodeAnswer(NodeStatus status, String silence) {
    }

    /** Asks the member's agent for its node ({@link io.cassandraoperator.api.Contract.AgentApi#NODE}). */
    NodeAnswer node(String member) {
        Optional<Agent> agent = agentOf(member);
        if (agent.isEmpty()) {
            return new NodeAnswer(null, "no pod IP or agent token to ask it");
        }
        try {
            return new NodeAnswer(client.node(agent.get().uri(), agent.get().token(), cluster.getMetadata().getName() + "/" + member), null);
        } catch (IOException e) {
            return new NodeAnswer(null, "its agent is not reachable: " + e.getMessage());
        }
    }

    /** A member's agent: where it listens and the token it wants. */
    private record Agent(URI uri, String token) {
    }

    /** Empty while the member's pod has no IP or the token Secret is not in the cache. */
    private Optional<Agent> agentOf(String member) {
        Pod pod = observed.pods().get(member);
        Optional<URI> uri = pod == null ? Optional.empty() : settings.agent(pod);
        Secret secret = observed.secrets().get(AgentTokenSecret.name(cluster));
        return uri.isEmpty() || secret == null ? Optional.empty() : Optional.of(new Agent(uri.get(), AgentTokenSecret.token(secret)));
    }

    private RunReport get(Call call, Agent agent) throws IOException {
        String member = cluster.getMetadata().getName() + "/" + call.member();
        return call.runId() == null ? asRun(client.get(agent.uri(), call.path(), agent.token(), member))
                : client.getRun(agent.uri(), call.path(), agent.token(), member, call.runId());
    }

    private RunReport start(Call call, Agent agent) throws IOException {
        String member = cluster.getMetadata().getName() + "/" + call.member();
        return call.runId() == null ? asRun(client.start(agent.uri(), call.path(), agent.token(), member))
                : client.startRun(agent.uri(), call.path(), agent.token(), member, call.runId());
    }

    /** A one-off operation's report has no id and no loads. */
    private static RunReport asRun(OperationReport report) {
        return new RunReport(null, report.state(), report.message(), null, null, null, null);
    }

    private String clusterName() {
        return cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName();
    }
}
