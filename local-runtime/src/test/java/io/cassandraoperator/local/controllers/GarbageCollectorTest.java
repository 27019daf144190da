package io.cassandraoperator.local.controllers;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class GarbageCollectorTest {
    @RegisterExtension
    static final ControlPlaneFixture fixture = new ControlPlaneFixture();

    @Test
    void dependentsGoWhenEveryOwnerIsGone() {
        Secret owner = fixture.client.secrets().resource(new SecretBuilder().withNewMetadata().withName("owner")
                .endMetadata().build()).create();
        Secret other = fixture.client.secrets().resource(new SecretBuilder().withNewMetadata().withName("other")
                .endMetadata().build()).create();
        fixture.client.configMaps().resource(owned("single", List.of(ref(owner)))).create();
        fixture.client.configMaps().resource(owned("two-owners", List.of(ref(owner), ref(other)))).create();
        fixture.client.configMaps().resource(owned("orphan", List.of(new OwnerReferenceBuilder().withApiVersion("v1")
                .withKind("Secret").withName("never-existed").withUid("00000000-dead-beef-0000-000000000000")
                .build()))).create();

        await().until(() -> fixture.client.configMaps().withName("orphan").get() == null);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
                .until(() -> fixture.client.configMaps().withName("single").get() != null);

        fixture.client.secrets().withName("owner").delete();
        await().until(() -> fixture.client.configMaps().withName("single").get() == null);
        assertThat(fixture.client.configMaps().withName("two-owners").get()).as("one owner is left").isNotNull();
    }

    @Test
    void claimsOfAStatefulSetThatDeletesThemGoWithIt() {
        var sts = fixture.client.apps().statefulSets().resource(new StatefulSetBuilder(
                StatefulSetControllerTest.statefulSet("gc", 1, "v1")).editSpec()
                .withNewPersistentVolumeClaimRetentionPolicy().withWhenDeleted("Delete").withWhenScaled("Retain")
                .endPersistentVolumeClaimRetentionPolicy().endSpec().build()).create();
        await().until(() -> fixture.client.persistentVolumeClaims().withName("data-gc-0").get() != null);
        assertThat(fixture.client.persistentVolumeClaims().withName("data-gc-0").get().getMetadata()
                .getOwnerReferences()).extracting(OwnerReference::getUid).containsExactly(sts.getMetadata().getUid());

        fixture.client.apps().statefulSets().withName("gc").delete();
        await().until(() -> fixture.client.persistentVolumeClaims().withName("data-gc-0").get() == null
                && fixture.get("gc-0") == null);
    }

    private static ConfigMap owned(String name, List<OwnerReference> owners) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withOwnerReferences(owners).endMetadata()
                .withData(Map.of("k", "v")).build();
    }

    private static OwnerReference ref(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion("v1").withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).build();
    }
}
