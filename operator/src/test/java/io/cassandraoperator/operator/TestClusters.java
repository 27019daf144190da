package io.cassandraoperator.operator;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.ClusterSpec;
import io.cassandraoperator.api.DatacenterSpec;
import io.cassandraoperator.api.NodeLossSpec;
import io.cassandraoperator.api.RackSpec;
import io.cassandraoperator.api.StorageScopeSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Cluster objects for tests: racks given as name=members. */
public final class TestClusters {
    private TestClusters() {
    }

    public static Cluster cluster(String name, String namespace, int... membersPerRack) {
        List<RackSpec> racks = new ArrayList<>();
        for (int i = 0; i < membersPerRack.length; i++) {
            racks.add(rack("rack" + (i + 1), membersPerRack[i]));
        }
        DatacenterSpec datacenter = new DatacenterSpec();
        datacenter.setName("dc1");
        datacenter.setRacks(racks);
        ClusterSpec spec = new ClusterSpec();
        spec.setVersion("5.0.6");
        spec.setDatacenter(datacenter);
        Cluster cluster = new Cluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).withUid("uid-" + name).withGeneration(1L).build());
        cluster.setSpec(spec);
        return cluster;
    }

    /** The same Cluster with {@code spec.nodeLoss} set. */
    public static Cluster withNodeLoss(Cluster cluster, boolean replace, String gracePeriod) {
        NodeLossSpec nodeLoss = new NodeLossSpec();
        nodeLoss.setReplace(replace);
        nodeLoss.setGracePeriod(gracePeriod);
        cluster.getSpec().setNodeLoss(nodeLoss);
        return cluster;
    }

    public static RackSpec rack(String name, int members) {
        RackSpec rack = new RackSpec();
        rack.setName(name);
        rack.setMembers(members);
        StorageScopeSpec storage = new StorageScopeSpec();
        storage.setVolumeClaimTemplates(List.of(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("data").endMetadata()
                .withNewSpec().withStorageClassName("local-storage").withAccessModes("ReadWriteOnce")
                    .withNewResources().withRequests(Map.of("storage", new Quantity("5Gi"))).endResources()
                .endSpec()
                .build()));
        rack.setStorage(storage);
        rack.setResources(new ResourceRequirementsBuilder()
                .withRequests(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("2Gi")))
                .withLimits(Map.of("memory", new Quantity("2Gi")))
                .build());
        return rack;
    }
}
