package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.RackSpec;
import io.cassandraoperator.operator.model.RackStatefulSet;
import io.cassandraoperator.operator.observe.MemberRecords;
import io.cassandraoperator.operator.observe.ObservedCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;

import java.util.Optional;

/**
 * A member pod left behind by a fixed template. The StatefulSet controller replaces a pod of an old revision only
 * once every pod is Ready, so a pod that a broken template left unready stays on that revision after the template is
 * fixed (kubernetes/kubernetes#67250, "forced rollback"): the operator deletes it (never its claim) and the controller
 * creates it again from the current template. Chosen only when the pod is not ready, not terminating, made from a
 * revision that is no longer its StatefulSet's update revision (which the controller has seen), its member is held by
 * no operation, and no other member pod is terminating: one at a time.
 *
 * @param pod    the pod to delete
 * @param reason why, for the log and the Event
 */
public record StuckPod(Pod pod, String reason) {

    public static Optional<StuckPod> find(Cluster cluster, ObservedCluster observed, MemberRecords records) {
        if (observed.pods().values().stream().anyMatch(p -> p.getMetadata().getDeletionTimestamp() != null)) {
            return Optional.empty();
        }
        for (RackSpec rack : cluster.getSpec().getDatacenter().getRacks()) {
            StatefulSet statefulSet = observed.statefulSets().get(RackStatefulSet.name(cluster, rack.getName()));
            if (statefulSet == null || !seenByController(statefulSet)) {
                continue;
            }
            String updateRevision = statefulSet.getStatus().getUpdateRevision();
            for (int ordinal = 0; ordinal < ObservedCluster.replicas(statefulSet); ordinal++) {
                String member = statefulSet.getMetadata().getName() + "-" + ordinal;
                Pod pod = observed.pods().get(member);
                String revision = pod == null ? null : RolloutGate.revision(pod);
                if (revision != null && !revision.equals(updateRevision) && !observed.ready(member) && !records.recorded(member)) {
                    return Optional.of(new StuckPod(pod, "pod " + member + " is not ready (" + observed.podState(member)
                            + ") and was made from revision " + revision + ", which is no longer the update revision " + updateRevision
                            + " of StatefulSet " + statefulSet.getMetadata().getName() + "; the StatefulSet controller does not replace"
                            + " such a pod by itself, so it is deleted to be created from the current template (its claim is kept)"));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean seenByController(StatefulSet statefulSet) {
        StatefulSetStatus status = statefulSet.getStatus();
        Long generation = statefulSet.getMetadata().getGeneration();
        return status != null && status.getUpdateRevision() != null && generation != null
                && status.getObservedGeneration() != null && status.getObservedGeneration() >= generation;
    }
}
