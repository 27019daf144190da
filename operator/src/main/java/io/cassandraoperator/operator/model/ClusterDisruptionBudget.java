package io.cassandraoperator.operator.model;

import io.cassandraoperator.api.Cluster;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/** At most one member voluntarily down at a time: with RF 3 and QUORUM, one missing replica is what a cluster absorbs. */
public final class ClusterDisruptionBudget {
    public static final String SUFFIX = "-pdb";

    private ClusterDisruptionBudget() {
    }

    public static String name(Cluster cluster) {
        return cluster.getMetadata().getName() + SUFFIX;
    }

    public static PodDisruptionBudget build(Cluster cluster) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(ChildMetadata.of(cluster, name(cluster), ClusterLabels.cluster(cluster)))
                .withNewSpec()
                    .withMaxUnavailable(new IntOrString(1))
                    .withNewSelector().withMatchLabels(ClusterLabels.clusterSelector(cluster)).endSelector()
                .endSpec()
                .build();
    }
}
