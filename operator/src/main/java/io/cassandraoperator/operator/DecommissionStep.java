package io.cassandraoperator.operator;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.Contract.Labels;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.Optional;

/**
 * One step of the decommission protocol (docs/architecture.md) for one member. Each step reads its record from the
 * member Service, acts, and writes the next record before anything depends on it, so an operator restarted between
 * any two steps resumes: label {@code false} (intent) → agent asked, once, after it reports NOT_STARTED → label
 * {@code true} when Cassandra reports DONE → replicas lowered → pod gone → claim and Service deleted.
 */
final class DecommissionStep {
    private static final Logger LOG = LoggerFactory.getLogger(DecommissionStep.class);

    private final Cluster cluster;
    private final ObservedCluster observed;
    private final ChildWriter writer;
    private final ClusterEvents events;
    private final AgentClient agent;
    private final OperatorSettings settings;

    DecommissionStep(Cluster cluster, ObservedCluster observed, ChildWriter writer, ClusterEvents events, AgentClient agent,
                     OperatorSettings settings) {
        this.cluster = cluster;
        this.observed = observed;
        this.writer = writer;
        this.events = events;
        this.agent = agent;
        this.settings = settings;
    }

    StepOutcome start(ScaleStep.StartDecommission start) {
        if (service(start.member()) == null) {
            return missingService(start.member(), start);
        }
        LOG.info("Cluster {}: rack {} has more members than the spec wants; decommissioning its highest member {}",
                clusterName(), start.rack(), start.member());
        writer.updateMetadata(service(start.member()), m -> m.addToLabels(Labels.DECOMMISSIONED, "false"));
        events.normal(cluster, "DecommissionStarted", "decommissioning member " + start.member() + " of rack " + start.rack()
                + ": the spec wants fewer members in it");
        return new StepOutcome(null, true, start);
    }

    StepOutcome proceed(ScaleStep.ContinueDecommission step) {
        String member = step.member();
        if (service(member) == null) {
            return missingService(member, step);
        }
        Pod pod = observed.pods().get(member);
        Optional<URI> uri = pod == null ? Optional.empty() : settings.agent(pod);
        Secret secret = observed.secrets().get(AgentTokenSecret.name(cluster));
        if (uri.isEmpty() || secret == null) {
            return new StepOutcome("waiting for the pod IP of " + member + " and the agent token to reach its agent", true, step);
        }
        String token = AgentTokenSecret.token(secret);
        AgentClient.OperationState state;
        try {
            // Ask for the state first: a decommission started before a restart is never started twice.
            state = agent.get(uri.get(), Contract.AgentApi.DECOMMISSION, token);
            if (AgentClient.OperationState.NOT_STARTED.equals(state.state())) {
                LOG.info("Cluster {}: asking the agent of {} at {} to decommission it", clusterName(), member, uri.get());
                state = agent.start(uri.get(), Contract.AgentApi.DECOMMISSION, token);
            }
        } catch (AgentClient.AgentUnavailableException e) {
            LOG.info("Cluster {}: agent of {} not reachable, will retry: {}", clusterName(), member, e.getMessage());
            return new StepOutcome("decommissioning member " + member + ": its agent is not reachable yet (" + e.getMessage() + ")", true, step);
        }
        switch (state.state()) {
            case AgentClient.OperationState.DONE -> {
                LOG.info("Cluster {}: Cassandra reports {} decommissioned; recording it", clusterName(), member);
                writer.updateMetadata(service(member), m -> m.addToLabels(Labels.DECOMMISSIONED, "true"));
                events.normal(cluster, "DecommissionFinished", "member " + member + " left the ring; removing its pod, Service and claim");
                return new StepOutcome(null, false, step);
            }
            case AgentClient.OperationState.FAILED -> {
                String message = state.message() == null ? "no message" : state.message();
                LOG.warn("Cluster {}: decommission of {} failed, the member stays: {}", clusterName(), member, message);
                writer.updateMetadata(service(member), m -> m.addToAnnotations(Contract.Annotations.DECOMMISSION_FAILURE, message));
                events.warning(cluster, "DecommissionFailed", "decommission of member " + member + " failed, the member stays: " + message);
                return new StepOutcome(null, false, new ScaleStep.DecommissionFailed(step.rack(), member, message));
            }
            default -> {
                return new StepOutcome("member " + member + " is decommissioning (its agent reports " + state.state() + ")", true, step, true);
            }
        }
    }

    StepOutcome remove(ScaleStep.RemoveMember remove) {
        StatefulSet statefulSet = observed.statefulSets().get(RackStatefulSet.name(cluster, remove.rack()));
        if (statefulSet != null && ChangeRefusal.replicas(statefulSet) > remove.ordinal()) {
            LOG.info("Cluster {}: {} is decommissioned; lowering StatefulSet {} to {} replicas", clusterName(), remove.member(),
                    statefulSet.getMetadata().getName(), remove.ordinal());
            writer.update(new StatefulSetBuilder(statefulSet).editSpec().withReplicas(remove.ordinal()).endSpec().build());
            return new StepOutcome(null, false, remove);
        }
        if (observed.pods().containsKey(remove.member())) {
            return new StepOutcome("waiting for the pod of decommissioned member " + remove.member() + " to terminate", false, remove);
        }
        for (PersistentVolumeClaim claim : observed.claims().values()) {
            if (claim.getMetadata().getName().endsWith("-" + remove.member())) {
                LOG.info("Cluster {}: deleting claim {} of decommissioned member {}", clusterName(), claim.getMetadata().getName(), remove.member());
                writer.delete(claim);
            }
        }
        // The Service goes last: it holds the record that this member's decommission finished.
        LOG.info("Cluster {}: deleting the Service of decommissioned member {}", clusterName(), remove.member());
        writer.delete(service(remove.member()));
        events.normal(cluster, "MemberRemoved", "member " + remove.member() + " was decommissioned and removed with its claim");
        return new StepOutcome(null, false, remove);
    }

    StepOutcome cancel(ScaleStep.CancelDecommission cancel) {
        LOG.info("Cluster {}: the spec wants member {} again; clearing its failed decommission", clusterName(), cancel.member());
        writer.updateMetadata(service(cancel.member()), m -> m.removeFromLabels(Labels.DECOMMISSIONED)
                .removeFromAnnotations(Contract.Annotations.DECOMMISSION_FAILURE));
        events.normal(cluster, "DecommissionCancelled", "member " + cancel.member() + " stays: the spec wants it again");
        return new StepOutcome(null, false, cancel);
    }

    /** The record lives on the member Service: without it in the cache, nothing may be decided. */
    private StepOutcome missingService(String member, ScaleStep step) {
        return new StepOutcome("waiting for the Service of member " + member + " to hold the decommission record", false, step);
    }

    private Service service(String member) {
        return observed.services().get(member);
    }

    private String clusterName() {
        return cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName();
    }
}
