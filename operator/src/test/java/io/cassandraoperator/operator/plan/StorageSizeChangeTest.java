package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.operator.TestClusters;
import io.cassandraoperator.operator.model.RackStatefulSet;
import io.cassandraoperator.operator.observe.ObservedCluster;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 17, rule 9: a storage size the claims do not have is said, not dropped. */
class StorageSizeChangeTest {
    private final Cluster cluster = TestClusters.cluster("c", "ns", 3);

    private ObservedCluster withClaimsOf(String size) {
        StatefulSet set = RackStatefulSet.build(cluster, cluster.getSpec().getDatacenter().getRacks().get(0), 3);
        Map<String, PersistentVolumeClaim> claims = new TreeMap<>();
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            String name = "data-c-dc1-rack1-" + ordinal;
            claims.put(name, new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).endMetadata()
                    .withNewSpec().withNewResources().addToRequests("storage", new Quantity(size)).endResources().endSpec().build());
        }
        return new ObservedCluster(Map.of(set.getMetadata().getName(), set), Map.of(), Map.of(), claims, Map.of(), Map.of(), Map.of());
    }

    private void askFor(String size) {
        RackStatefulSet.claimTemplate(cluster.getSpec().getDatacenter().getRacks().get(0)).getSpec().getResources()
                .setRequests(Map.of("storage", new Quantity(size)));
    }

    @Test
    void theSameSizeWrittenDifferentlyIsNoChange() {
        askFor("5120Mi");
        assertThat(StorageSizeChange.check(cluster, withClaimsOf("5Gi"))).isEmpty();
    }

    @Test
    void aSmallerOrLargerSizeIsRefusedSayingWhatToDo() {
        askFor("4Gi");
        assertThat(StorageSizeChange.check(cluster, withClaimsOf("5Gi"))).get().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(EventReason.StorageSizeChangeRefused);
            assertThat(r.message()).contains("cannot shrink").contains("5Gi");
        });
        askFor("10Gi");
        assertThat(StorageSizeChange.check(cluster, withClaimsOf("5Gi"))).get()
                .satisfies(r -> assertThat(r.message()).contains("does not expand").contains("back to 5Gi"));
    }
}
