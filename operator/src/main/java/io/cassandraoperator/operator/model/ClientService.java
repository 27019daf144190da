package io.cassandraoperator.operator.model;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract.Ports;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/** The headless Service over all members: the StatefulSets' serviceName (stable pod DNS) and the CQL entry point. */
public final class ClientService {
    public static final String SUFFIX = "-client";

    private ClientService() {
    }

    public static String name(Cluster cluster) {
        return cluster.getMetadata().getName() + SUFFIX;
    }

    public static Service build(Cluster cluster) {
        return new ServiceBuilder()
                .withMetadata(ChildMetadata.of(cluster, name(cluster), ClusterLabels.cluster(cluster)))
                .withNewSpec()
                    .withClusterIP("None")
                    // Members find each other by DNS while they start, before they are ready.
                    .withPublishNotReadyAddresses(true)
                    .withSelector(ClusterLabels.clusterSelector(cluster))
                    .addNewPort().withName("cql").withPort(Ports.CQL).withNewTargetPort(Ports.CQL).endPort()
                .endSpec()
                .build();
    }
}
