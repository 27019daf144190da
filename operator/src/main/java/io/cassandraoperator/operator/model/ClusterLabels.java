package io.cassandraoperator.operator.model;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract.Labels;

import java.util.LinkedHashMap;
import java.util.Map;

/** The labels the operator puts on what it creates, and the selector its informers watch with. */
public final class ClusterLabels {
    /** Every object of every Cluster the operator manages carries both labels: the informers select on them. */
    public static final String INFORMER_SELECTOR = Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE + "," + Labels.CLUSTER;

    private ClusterLabels() {
    }

    public static Map<String, String> cluster(Cluster cluster) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.APP_NAME, Labels.APP_NAME_VALUE);
        labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        labels.put(Labels.CLUSTER, cluster.getMetadata().getName());
        return labels;
    }

    public static Map<String, String> rack(Cluster cluster, String rack) {
        Map<String, String> labels = cluster(cluster);
        labels.putAll(rackSelector(cluster, rack));
        return labels;
    }

    /** Selector of a rack's StatefulSet: immutable once created, so it holds only names that never change. */
    public static Map<String, String> rackSelector(Cluster cluster, String rack) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.CLUSTER, cluster.getMetadata().getName());
        labels.put(Labels.DATACENTER, cluster.getSpec().getDatacenter().getName());
        labels.put(Labels.RACK, rack);
        return labels;
    }

    public static Map<String, String> clusterSelector(Cluster cluster) {
        return Map.of(Labels.CLUSTER, cluster.getMetadata().getName(), Labels.APP_NAME, Labels.APP_NAME_VALUE);
    }
}
