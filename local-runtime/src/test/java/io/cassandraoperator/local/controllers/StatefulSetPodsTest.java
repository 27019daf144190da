package io.cassandraoperator.local.controllers;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StatefulSetPodsTest {
    private static StatefulSet sts(String version) {
        return new StatefulSetBuilder(StatefulSetControllerTest.statefulSet("cassandra-dc1-rack1", 3, version))
                .editMetadata().withNamespace("default").withUid("sts-uid").endMetadata().build();
    }

    @Test
    void podIsNamedByOrdinalLabelledAndOwnedAndMountsItsClaim() {
        Pod pod = StatefulSetPods.pod(sts("v1"), 2);
        assertThat(pod.getMetadata().getName()).isEqualTo("cassandra-dc1-rack1-2");
        assertThat(pod.getMetadata().getLabels())
                .containsEntry("statefulset.kubernetes.io/pod-name", "cassandra-dc1-rack1-2")
                .containsEntry("controller-revision-hash", StatefulSetPods.revision(sts("v1")))
                .containsEntry("app", "cassandra-dc1-rack1");
        assertThat(pod.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getUid()).isEqualTo("sts-uid");
            assertThat(o.getController()).isTrue();
        });
        assertThat(pod.getSpec().getHostname()).isEqualTo("cassandra-dc1-rack1-2");
        assertThat(pod.getSpec().getVolumes()).singleElement().satisfies(v ->
                assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("data-cassandra-dc1-rack1-2"));
        assertThat(StatefulSetPods.ordinal(sts("v1"), "cassandra-dc1-rack1-12")).contains(12);
        assertThat(StatefulSetPods.ordinal(sts("v1"), "cassandra-dc1-rack10-1")).isEmpty();
    }

    @Test
    void revisionChangesWithTheTemplateOnly() {
        assertThat(StatefulSetPods.revision(sts("v1"))).isEqualTo(StatefulSetPods.revision(
                new StatefulSetBuilder(sts("v1")).editSpec().withReplicas(7).endSpec().build()));
        assertThat(StatefulSetPods.revision(sts("v1"))).isNotEqualTo(StatefulSetPods.revision(sts("v2")));
    }

    @Test
    void claimsAreOwnedOnlyWhenTheRetentionPolicyDeletesThem() {
        List<PersistentVolumeClaim> retained = StatefulSetPods.claims(sts("v1"), 0);
        assertThat(retained).singleElement().satisfies(c -> {
            assertThat(c.getMetadata().getName()).isEqualTo("data-cassandra-dc1-rack1-0");
            assertThat(c.getMetadata().getOwnerReferences()).isEmpty();
            assertThat(c.getMetadata().getLabels()).containsEntry("app", "cassandra-dc1-rack1");
        });
        StatefulSet deleting = new StatefulSetBuilder(sts("v1")).editSpec().withNewPersistentVolumeClaimRetentionPolicy()
                .withWhenDeleted("Delete").endPersistentVolumeClaimRetentionPolicy().endSpec().build();
        assertThat(StatefulSetPods.claims(deleting, 0).get(0).getMetadata().getOwnerReferences())
                .singleElement().satisfies(o -> assertThat(o.getUid()).isEqualTo("sts-uid"));
    }
}
