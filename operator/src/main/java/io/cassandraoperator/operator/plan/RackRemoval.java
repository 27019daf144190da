package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract.Labels;
import io.cassandraoperator.api.RackSpec;
import io.cassandraoperator.operator.observe.ObservedCluster;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A rack leaves the spec in two moves (ChangeRefusal refuses one): its members go to 0 first, one decommission at a
 * time; once its StatefulSet has no replicas and no pod is left, the rack may leave the spec and its StatefulSet goes.
 */
public final class RackRemoval {
    private RackRemoval() {
    }

    /** The StatefulSets of racks no longer in the spec that have neither replicas nor pods. */
    public static List<StatefulSet> deletable(Cluster cluster, ObservedCluster observed) {
        Set<String> racks = cluster.getSpec().getDatacenter().getRacks().stream().map(RackSpec::getName).collect(Collectors.toSet());
        return observed.statefulSets().values().stream()
                .filter(statefulSet -> {
                    String rack = statefulSet.getMetadata().getLabels().get(Labels.RACK);
                    String prefix = statefulSet.getMetadata().getName() + "-";
                    return rack != null && !racks.contains(rack) && ObservedCluster.replicas(statefulSet) == 0
                            && observed.pods().keySet().stream().noneMatch(p -> p.startsWith(prefix));
                })
                .toList();
    }
}
