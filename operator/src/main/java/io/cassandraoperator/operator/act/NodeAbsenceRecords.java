package io.cassandraoperator.operator.act;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract.Annotations;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.api.GracePeriod;
import io.cassandraoperator.operator.observe.ObservedCluster;
import io.cassandraoperator.operator.plan.MemberLoss;
import io.cassandraoperator.operator.plan.NodeLossPolicy;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Writes and removes {@link Annotations#NODE_ABSENT_SINCE} on member Services: the start of a node loss's grace
 * period, written only after live reads of the member's Service (not recorded yet), pod and volumes and of the Nodes
 * confirm what the caches showed, so a lagging cache never starts the clock or restarts it; removed, with an Event,
 * when the Node (or the member) is back.
 */
final class NodeAbsenceRecords {
    private static final Logger LOG = LoggerFactory.getLogger(NodeAbsenceRecords.class);

    private final Cluster cluster;
    private final ObservedCluster observed;
    private final ChildWriter writer;
    private final ClusterEvents events;
    private final LiveReads live;

    NodeAbsenceRecords(Cluster cluster, ObservedCluster observed, ChildWriter writer, ClusterEvents events, LiveReads live) {
        this.cluster = cluster;
        this.observed = observed;
        this.writer = writer;
        this.events = events;
        this.live = live;
    }

    void apply(MemberLoss.Assessment assessment) {
        NodeLossPolicy policy = NodeLossPolicy.of(cluster);
        List<Node> nodes = assessment.unrecorded().isEmpty() ? List.of() : live.nodes();
        for (MemberLoss.NodeAbsence absence : assessment.unrecorded()) {
            record(absence, nodes, policy);
        }
        for (MemberLoss.NodeReturn back : assessment.returned()) {
            clear(back);
        }
        for (MemberLoss.NodeAbsence awaited : assessment.awaited()) {
            recordEvent(awaited, policy);
        }
    }

    /**
     * The Event of a recorded absence, recorded again on every round of its wait: an operator stopped between the record
     * and its Event fills it in after its restart (the Event's name comes from the record, so it is created once).
     */
    private void recordEvent(MemberLoss.NodeAbsence absence, NodeLossPolicy policy) {
        Service service = observed.services().get(absence.member());
        if (service != null) {
            recordEvent(absence.member(), service, absence.since(), absence.evidence(), policy);
        }
    }

    private void recordEvent(String member, Service service, Instant since, String evidence, NodeLossPolicy policy) {
        events.record(cluster, EventReason.NodeAbsent, member + "/" + service.getMetadata().getUid() + "/" + since,
                "member " + member + " is not ready and " + evidence + "; " + outcome(since, policy));
    }

    private static String outcome(Instant since, NodeLossPolicy policy) {
        return policy.replace()
                ? "it is replaced on an empty disk at " + since.plus(policy.gracePeriod()) + " (grace period " + GracePeriod.format(policy.gracePeriod())
                    + ") unless the Node comes back"
                : "replacement on node loss is off (spec.nodeLoss.replace: false): it stays until the Node comes back or its Service is "
                    + "labelled for replacement";
    }

    private void record(MemberLoss.NodeAbsence absence, List<Node> nodes, NodeLossPolicy policy) {
        String member = absence.member();
        Service service = live.service(member);
        if (service == null || MemberLoss.absentSince(service).isPresent()) {
            return; // the cache has not seen the record written in an earlier round yet
        }
        List<PersistentVolumeClaim> claims = observed.claimsOf(member);
        Optional<String> confirmed = ObservedCluster.ready(live.pod(member)) ? Optional.empty()
                : MemberLoss.orphanedVolume(claims, live.volumes(claims), nodes);
        if (confirmed.isEmpty()) {
            LOG.info("Cluster {}: member {} looked cut off from its volume's Node ({}), but the API says otherwise; not recording it",
                    clusterName(), member, absence.evidence());
            return;
        }
        Instant now = Instant.now();
        LOG.warn("Cluster {}: member {} is not ready and {} (confirmed by a live read); {}", clusterName(), member, confirmed.get(),
                outcome(now, policy));
        writer.updateMetadata(service, m -> m.addToAnnotations(Annotations.NODE_ABSENT_SINCE, now.toString()));
        recordEvent(member, service, now, confirmed.get(), policy);
    }

    private void clear(MemberLoss.NodeReturn back) {
        Service service = observed.services().get(back.member());
        LOG.info("Cluster {}: {} (its Node was absent since {}): the replacement of member {} is cancelled", clusterName(), back.why(),
                back.since(), back.member());
        writer.updateMetadata(service, m -> m.removeFromAnnotations(Annotations.NODE_ABSENT_SINCE));
        events.record(cluster, EventReason.NodeReturned, back.member() + "/" + service.getMetadata().getUid() + "/" + back.since(),
                back.why() + " (the Node of member " + back.member() + "'s volume was absent since " + back.since()
                        + "): its replacement is cancelled and its data kept");
    }

    private String clusterName() {
        return cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName();
    }
}
