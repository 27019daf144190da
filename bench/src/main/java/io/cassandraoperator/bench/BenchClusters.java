package io.cassandraoperator.bench;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.ClusterMode;
import io.cassandraoperator.api.ClusterSpec;
import io.cassandraoperator.api.DatacenterSpec;
import io.cassandraoperator.api.RackSpec;
import io.cassandraoperator.api.StorageScopeSpec;
import io.cassandraoperator.api.TlsSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.List;
import java.util.stream.IntStream;

/** The Cluster the control-plane benchmarks create many of: 3 racks of 3 members. */
final class BenchClusters {
    static final int RACKS = 3;
    static final int MEMBERS_PER_RACK = 3;

    private BenchClusters() {
    }

    static Cluster cluster(String name) {
        Cluster cluster = new Cluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
        ClusterSpec spec = new ClusterSpec();
        spec.setVersion("5.0.8");
        spec.setMode(ClusterMode.CASSANDRA);
        DatacenterSpec datacenter = new DatacenterSpec();
        datacenter.setName("dc1");
        datacenter.setRacks(IntStream.range(0, RACKS).mapToObj(i -> {
            RackSpec rack = new RackSpec();
            rack.setName("rack" + i);
            rack.setMembers(MEMBERS_PER_RACK);
            StorageScopeSpec storage = new StorageScopeSpec();
            storage.setVolumeClaimTemplates(List.of(new PersistentVolumeClaimBuilder()
                    .withNewMetadata().withName("data").endMetadata()
                    .withNewSpec().withAccessModes("ReadWriteOnce")
                    .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources()
                    .endSpec().build()));
            rack.setStorage(storage);
            return rack;
        }).toList());
        spec.setDatacenter(datacenter);
        // The baseline is bare plaintext Cassandra: a ratio against it measures the operator's overhead, not TLS's.
        TlsSpec tls = new TlsSpec();
        tls.setEnabled(false);
        spec.setTls(tls);
        cluster.setSpec(spec);
        return cluster;
    }

    static boolean ready(Cluster cluster) {
        if (cluster.getStatus() == null || cluster.getStatus().getConditions() == null) {
            return false;
        }
        List<Condition> conditions = cluster.getStatus().getConditions();
        return conditions.stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))
                && Integer.valueOf(RACKS * MEMBERS_PER_RACK).equals(cluster.getStatus().getReadyMembers());
    }
}
