package io.cassandraoperator.operator.model;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract.MembersConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** {@code <cluster>-members}: the seeds and every member's sticky address, read by each agent when it starts. */
public final class MembersConfigMap {
    private MembersConfigMap() {
    }

    public static String name(Cluster cluster) {
        return cluster.getMetadata().getName() + MembersConfig.SUFFIX;
    }

    /**
     * @param memberAddresses member (pod) name → ClusterIP of its Service, for the members whose Service has one
     * @param seeds           seed member names in order; those without an address yet are left out
     * @param replacing       members being replaced: each gets its {@code <member>.replace} mark (when it has an address),
     *                        so its agent starts Cassandra as the replacement of its own address
     */
    public static ConfigMap build(Cluster cluster, Map<String, String> memberAddresses, List<String> seeds, Set<String> replacing) {
        return new ConfigMapBuilder()
                .withMetadata(ChildMetadata.of(cluster, name(cluster), ClusterLabels.cluster(cluster)))
                .withData(data(memberAddresses, seeds, replacing))
                .build();
    }

    public static Map<String, String> data(Map<String, String> memberAddresses, List<String> seeds, Set<String> replacing) {
        Map<String, String> data = new TreeMap<>(memberAddresses);
        data.put(MembersConfig.SEEDS, String.join(",", seeds.stream().filter(memberAddresses::containsKey)
                .map(memberAddresses::get).toList()));
        replacing.stream().filter(memberAddresses::containsKey)
                .forEach(member -> data.put(member + MembersConfig.REPLACE_SUFFIX, memberAddresses.get(member)));
        return data;
    }
}
