package io.cassandraoperator.operator.model;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract.Labels;
import io.cassandraoperator.api.Contract.Ports;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

import java.util.Map;

/**
 * The ClusterIP Service of one member, named like its pod. Its ClusterIP is the member's broadcast address, so the
 * member keeps its address across pod restarts and rescheduling. It is created before the pod exists.
 */
public final class MemberService {
    private MemberService() {
    }

    public static Service build(Cluster cluster, String rack, String member, boolean seed) {
        Map<String, String> labels = ClusterLabels.rack(cluster, rack);
        if (seed) {
            labels.put(Labels.SEED, "true");
        }
        return new ServiceBuilder()
                .withMetadata(ChildMetadata.retained(cluster, member, labels))
                .withNewSpec()
                    .withType("ClusterIP")
                    // Cassandra gossips through this address while it bootstraps, long before it is ready.
                    .withPublishNotReadyAddresses(true)
                    .withSelector(Map.of(Labels.POD_NAME, member, Labels.CLUSTER, cluster.getMetadata().getName()))
                    .addNewPort().withName("cql").withPort(Ports.CQL).withNewTargetPort(Ports.CQL).endPort()
                    .addNewPort().withName("intra-node").withPort(Ports.INTRA_NODE).withNewTargetPort(Ports.INTRA_NODE).endPort()
                .endSpec()
                .build();
    }

    public static boolean isMemberService(Service service) {
        return service.getMetadata().getLabels() != null && service.getMetadata().getLabels().containsKey(Labels.RACK);
    }

    public static String clusterIp(Service service) {
        String ip = service == null || service.getSpec() == null ? null : service.getSpec().getClusterIP();
        return ip == null || ip.isBlank() || "None".equals(ip) ? null : ip;
    }
}
