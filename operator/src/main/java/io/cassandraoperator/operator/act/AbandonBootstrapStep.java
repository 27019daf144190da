package io.cassandraoperator.operator.act;

import io.cassandraoperator.api.Contract.Annotations;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.api.agent.NodeStatus;
import io.cassandraoperator.operator.model.MemberService;
import io.cassandraoperator.operator.model.RackStatefulSet;
import io.cassandraoperator.operator.observe.MemberRecords;
import io.cassandraoperator.operator.observe.ObservedCluster;
import io.cassandraoperator.operator.plan.ScaleStep;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Abandons the bootstrap of a rack's highest member (#23): a member whose volume never reached NORMAL holds no data
 * another replica lacks, so it may be stopped and its volume emptied. Its own agent's word is the fact that allows it
 * (Cassandra's operation mode STARTING, JOINING or JOINING_FAILED, and no joined marker on the volume); anything else,
 * or no answer, abandons nothing. The steps, each resumable from the records on the member Service:
 * <ol>
 * <li>record the cause, the pod whose agent confirmed and the claims' UIDs ({@link Annotations#BOOTSTRAP_ABANDON_CAUSE});</li>
 * <li>lower the rack's replicas by one, and delete the confirmed pod (with OrderedReady the StatefulSet controller
 *     stops no condemned pod while a lower one is unready, which is exactly when a lost member is to be replaced);</li>
 * <li>once the pod is gone, wait until no ready member's ring knows the member's address (Cassandra drops a dead node
 *     that never joined, with its pending ranges, after its ring delay: it owns no tokens, so no removenode is needed;
 *     a node that finished its join while it stopped is never dropped, so its volume is never deleted);</li>
 * <li>delete the recorded claims by UID;</li>
 * <li>delete the Service (with its records) at the version read: a member wanted again joins fresh at a new address.</li>
 * </ol>
 */
final class AbandonBootstrapStep {
    private static final Logger LOG = LoggerFactory.getLogger(AbandonBootstrapStep.class);
    /** The operation modes of a Cassandra that has not finished joining; NORMAL, LEAVING, MOVING etc. all mean it joined. */
    private static final Set<String> NOT_JOINED_MODES = Set.of("STARTING", "JOINING", "JOINING_FAILED");

    private final StepContext context;

    AbandonBootstrapStep(StepContext context) {
        this.context = context;
    }

    StepOutcome start(ScaleStep.AbandonBootstrap step) {
        String member = step.member();
        Service service = context.service(member);
        Pod pod = context.observed().pods().get(member);
        if (service == null || pod == null) {
            return notAbandoned(step, "it has no " + (service == null ? "Service" : "pod") + " to ask whether it ever joined the ring");
        }
        AgentOperation.NodeAnswer answer = context.agents().node(member);
        if (answer.status() == null) {
            return notAbandoned(step, answer.silence());
        }
        if (!neverJoined(answer.status())) {
            return notAbandoned(step, "its agent reports operation mode " + answer.status().operationMode() + " and volumeJoined "
                    + answer.status().volumeJoined() + ", so its volume may hold data of the ring");
        }
        String claimUids = context.observed().claimsOf(member).stream().map(c -> c.getMetadata().getUid()).collect(Collectors.joining(","));
        String podUid = pod.getMetadata().getUid();
        LOG.warn("Cluster {}: abandoning the bootstrap of member {}: {}; its agent reports {} and a volume that never reached NORMAL",
                context.clusterName(), member, step.cause(), answer.status().operationMode());
        context.writer().updateMetadata(service, m -> m.addToAnnotations(Annotations.BOOTSTRAP_ABANDON_CAUSE, step.cause())
                .addToAnnotations(Annotations.BOOTSTRAP_ABANDON_POD, podUid).addToAnnotations(Annotations.BOOTSTRAP_ABANDON_CLAIMS, claimUids));
        recordAbandoned(member, podUid, step.cause());
        return new StepOutcome(null, false, new ScaleStep.ContinueAbandonedBootstrap(step.rack(), step.ordinal(), member, step.cause()));
    }

    StepOutcome proceed(ScaleStep.ContinueAbandonedBootstrap step) {
        String member = step.member();
        Service service = context.service(member);
        MemberRecords.AbandonedBootstrap record = context.records().abandonedBootstraps().stream()
                .filter(a -> a.member().equals(member)).findFirst().orElseThrow();
        recordAbandoned(member, record.podUid(), record.cause());
        StatefulSet statefulSet = context.observed().statefulSets().get(RackStatefulSet.name(context.cluster(), step.rack()));
        int replicas = statefulSet == null ? 0 : ObservedCluster.replicas(statefulSet);
        if (replicas > step.ordinal() + 1) {
            return new StepOutcome("member " + member + " carries the record " + Annotations.BOOTSTRAP_ABANDON_CAUSE + " but is not the highest "
                    + "member of rack " + step.rack() + "; only the highest can be stopped. Remove the record from its Service", false, step);
        }
        if (replicas == step.ordinal() + 1) {
            LOG.info("Cluster {}: lowering StatefulSet {} to {} replicas to stop member {}, whose bootstrap is abandoned", context.clusterName(),
                    statefulSet.getMetadata().getName(), step.ordinal(), member);
            context.writer().update(new StatefulSetBuilder(statefulSet).editSpec().withReplicas(step.ordinal()).endSpec().build());
            return new StepOutcome(null, false, step);
        }
        Pod pod = context.observed().pods().get(member);
        if (pod != null) {
            return stop(step, record, pod);
        }
        // Its agent's word was given before the pod stopped, and a Cassandra can finish its join while it stops. The ring
        // forgets a dead node that never joined after its ring delay, but never one that joined: only then is the volume
        // proven to hold nothing of the ring, and only then are the claims deleted.
        String address = MemberService.clusterIp(service);
        for (MemberRecords.Member other : context.records().members()) {
            if (!context.observed().ready(other.name())) {
                continue;
            }
            AgentOperation.NodeAnswer answer = context.agents().node(other.name());
            if (answer.status() == null) {
                return new StepOutcome("abandoning the bootstrap of member " + member + ": asking member " + other.name()
                        + " whether its ring still knows " + address + " (" + answer.silence() + ")", true, step);
            }
            if (address != null && answer.status().knows(address)) {
                return new StepOutcome("abandoning the bootstrap of member " + member + ": the ring of member " + other.name() + " still knows "
                        + address + "; Cassandra drops a dead node that never joined after its ring delay, and its claims are kept until"
                        + " then (a node the ring keeps has joined after all: its volume holds data)", true, step);
            }
        }
        List<PersistentVolumeClaim> claims = context.observed().claimsOf(member).stream()
                .filter(c -> record.claimUids().contains(c.getMetadata().getUid())).toList();
        if (!claims.isEmpty()) {
            for (PersistentVolumeClaim claim : claims) {
                if (claim.getMetadata().getDeletionTimestamp() == null) {
                    LOG.info("Cluster {}: deleting claim {} of member {}: its volume never joined the ring (its agent said so and no"
                            + " member's ring knows {})", context.clusterName(), claim.getMetadata().getName(), member, address);
                    context.writer().delete(claim);
                }
            }
            return new StepOutcome("abandoning the bootstrap of member " + member + ": waiting for its claims to go", false, step);
        }
        // The Event before the Service: once the Service is gone nothing is left to say that it is owed.
        context.events().record(context.cluster(), EventReason.BootstrapAbandonFinished, occurrence(member, record.podUid()), "member "
                + member + " is stopped, its claims are deleted and no member's ring knows it; deleting its Service. If the spec still "
                + "wants it, it joins again as a fresh member");
        LOG.info("Cluster {}: the abandoned member {} is gone from the ring; deleting its Service", context.clusterName(), member);
        context.writer().deleteUnchanged(service);
        return new StepOutcome(null, false, step);
    }

    /**
     * Deletes the pod whose agent confirmed the volume never joined. Another pod (restarted on the same claim since)
     * is asked again first: it may have finished joining meanwhile.
     */
    private StepOutcome stop(ScaleStep.ContinueAbandonedBootstrap step, MemberRecords.AbandonedBootstrap record, Pod pod) {
        String member = step.member();
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return new StepOutcome("abandoning the bootstrap of member " + member + ": waiting for its pod to stop", false, step);
        }
        if (!pod.getMetadata().getUid().equals(record.podUid())) {
            AgentOperation.NodeAnswer answer = context.agents().node(member);
            if (answer.status() == null || !neverJoined(answer.status())) {
                return new StepOutcome("abandoning the bootstrap of member " + member + ": pod " + pod.getMetadata().getUid()
                        + " is not the one whose agent confirmed its volume never joined, and its agent does not confirm it ("
                        + (answer.status() == null ? answer.silence() : "operation mode " + answer.status().operationMode() + ", volumeJoined "
                        + answer.status().volumeJoined()) + "); nothing is deleted", true, step);
            }
            context.writer().updateMetadata(context.service(member), m -> m.addToAnnotations(Annotations.BOOTSTRAP_ABANDON_POD,
                    pod.getMetadata().getUid()));
            return new StepOutcome(null, false, step);
        }
        LOG.info("Cluster {}: deleting pod {} of member {}, whose bootstrap is abandoned", context.clusterName(), pod.getMetadata().getName(), member);
        context.writer().delete(pod);
        return new StepOutcome("abandoning the bootstrap of member " + member + ": waiting for its pod to stop", false, step);
    }

    private static boolean neverJoined(NodeStatus status) {
        return Boolean.FALSE.equals(status.volumeJoined()) && NOT_JOINED_MODES.contains(status.operationMode());
    }

    private StepOutcome notAbandoned(ScaleStep.AbandonBootstrap step, String why) {
        return new StepOutcome(null, true, new ScaleStep.Wait("member " + step.member() + " is not ready; its bootstrap would be abandoned ("
                + step.cause() + ") but " + why + "; waiting for it to be ready"));
    }

    /** Recorded after the records, and again on every later round: an operator stopped in between did not record it. */
    private void recordAbandoned(String member, String podUid, String cause) {
        context.events().record(context.cluster(), EventReason.BootstrapAbandoned, occurrence(member, podUid), "abandoning the bootstrap of member "
                + member + ": " + cause + ". Its volume never reached NORMAL (its agent says so): it is stopped and emptied, and joins again "
                + "as a fresh member if still wanted");
    }

    /** An abandonment is named by the member and the pod its agent confirmed on. */
    private static String occurrence(String member, String podUid) {
        return member + "/" + podUid;
    }
}
