package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Names;
import io.cassandraoperator.api.RackSpec;
import io.cassandraoperator.operator.model.RackStatefulSet;
import io.cassandraoperator.operator.observe.ObservedCluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The members whose Service must exist this round, each with its rack, in spec order: every member the StatefulSets
 * have, plus the one a scale-up is about to start (its address is allocated before its pod exists); and the seeds
 * among them.
 *
 * @param rackByMember member name → rack
 * @param seeds        seed member names in the order the members ConfigMap lists their addresses
 */
public record DesiredMembers(Map<String, String> rackByMember, List<String> seeds) {

    /** @param leaving members with a decommission record: never chosen as seeds */
    public static DesiredMembers of(Cluster cluster, ObservedCluster observed, ScaleStep step, Set<String> leaving) {
        Map<String, String> rackByMember = new LinkedHashMap<>();
        List<List<String>> seedCandidates = new ArrayList<>();
        for (RackSpec rack : cluster.getSpec().getDatacenter().getRacks()) {
            int count = observed.replicas(RackStatefulSet.name(cluster, rack.getName()));
            if (step instanceof ScaleStep.AddMember add && add.rack().equals(rack.getName())) {
                count = add.ordinal() + 1;
            }
            for (int ordinal = 0; ordinal < count; ordinal++) {
                rackByMember.put(member(cluster, rack.getName(), ordinal), rack.getName());
            }
            // Seeds come from the members the rack has or will have, so they do not move while the cluster grows.
            List<String> candidates = new ArrayList<>();
            for (int ordinal = 0; ordinal < Math.max(count, rack.getMembers()); ordinal++) {
                String member = member(cluster, rack.getName(), ordinal);
                if (!leaving.contains(member)) {
                    candidates.add(member);
                }
            }
            seedCandidates.add(candidates);
        }
        return new DesiredMembers(rackByMember, SeedSelection.choose(seedCandidates));
    }

    private static String member(Cluster cluster, String rack, int ordinal) {
        return Names.member(cluster.getMetadata().getName(), cluster.getSpec().getDatacenter().getName(), rack, ordinal);
    }
}
