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
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 17, rule 9: a storage size the claims do not have is written to them where it can be, and said otherwise. */
class StorageSizeChangeTest {
    private static final String CLASS = "fast";
    private final Cluster cluster = TestClusters.cluster("c", "ns", 3);

    private ObservedCluster withClaimsOf(String size, StorageClass... classes) {
        StatefulSet set = RackStatefulSet.build(cluster, cluster.getSpec().getDatacenter().getRacks().get(0), 3);
        Map<String, PersistentVolumeClaim> claims = new TreeMap<>();
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            String name = "data-c-dc1-rack1-" + ordinal;
            claims.put(name, new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).endMetadata()
                    .withNewSpec().withStorageClassName(CLASS).withNewResources().addToRequests("storage", new Quantity(size))
                    .endResources().endSpec().build());
        }
        Map<String, StorageClass> byName = new TreeMap<>();
        for (StorageClass storageClass : classes) {
            byName.put(storageClass.getMetadata().getName(), storageClass);
        }
        return new ObservedCluster(Map.of(set.getMetadata().getName(), set), Map.of(), Map.of(), claims, Map.of(), Map.of(),
                Map.of(), Map.of(), List.of(), byName);
    }

    private static StorageClass storageClass(boolean expandable) {
        return new StorageClassBuilder().withNewMetadata().withName(CLASS).endMetadata().withProvisioner("example.com/disk")
                .withAllowVolumeExpansion(expandable).build();
    }

    private void askFor(String size) {
        RackStatefulSet.claimTemplate(cluster.getSpec().getDatacenter().getRacks().get(0)).getSpec().getResources()
                .setRequests(Map.of("storage", new Quantity(size)));
    }

    @Test
    void theSameSizeWrittenDifferentlyIsNoChange() {
        askFor("5120Mi");
        StorageSizeChange.Decision decision = StorageSizeChange.decide(cluster, withClaimsOf("5Gi", storageClass(true)));
        assertThat(decision.refusal()).isEmpty();
        assertThat(decision.expansions()).isEmpty();
    }

    @Test
    void aSmallerSizeIsRefusedEvenWhereClaimsMayGrow() {
        askFor("4Gi");
        assertThat(StorageSizeChange.decide(cluster, withClaimsOf("5Gi", storageClass(true))).refusal()).get().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(EventReason.StorageSizeChangeRefused);
            assertThat(r.message()).contains("cannot shrink").contains("5Gi");
        });
    }

    @Test
    void aLargerSizeExpandsEveryMembersClaimWhenTheirStorageClassAllowsIt() {
        askFor("10Gi");
        StorageSizeChange.Decision decision = StorageSizeChange.decide(cluster, withClaimsOf("5Gi", storageClass(true)));
        assertThat(decision.refusal()).isEmpty();
        assertThat(decision.expansions()).extracting(e -> e.claim().getMetadata().getName())
                .containsExactly("data-c-dc1-rack1-0", "data-c-dc1-rack1-1", "data-c-dc1-rack1-2");
        assertThat(decision.expansions()).allSatisfy(e -> assertThat(e.size()).isEqualTo(new Quantity("10Gi")));
    }

    @Test
    void aLargerSizeIsRefusedWhenTheStorageClassCannotExpandOrIsUnknown() {
        askFor("10Gi");
        assertThat(StorageSizeChange.decide(cluster, withClaimsOf("5Gi", storageClass(false))).refusal()).get()
                .satisfies(r -> assertThat(r.message()).contains("does not allow volume expansion").contains("back to 5Gi"));
        StorageSizeChange.Decision unknown = StorageSizeChange.decide(cluster, withClaimsOf("5Gi"));
        assertThat(unknown.refusal()).get().satisfies(r -> assertThat(r.message()).contains("is not known"));
        assertThat(unknown.expansions()).isEmpty();
    }
}
