package io.cassandraoperator.local.controllers;

import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PodSchedulerTest {
    @RegisterExtension
    static final ControlPlaneFixture fixture = new ControlPlaneFixture();

    @Test
    void requiredPodAntiAffinitySpreadsPodsOverHostsAndReportsWhenNoneIsLeft() {
        Set<String> nodes = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            String name = "aa-" + i;
            fixture.client.pods().resource(antiAffine(name)).create();
            await().until(() -> fixture.get(name).getSpec().getNodeName() != null);
            nodes.add(fixture.get(name).getSpec().getNodeName());
        }
        assertThat(nodes).containsExactlyInAnyOrder("node-1", "node-2", "node-3");

        fixture.client.pods().resource(antiAffine("aa-3")).create();
        await().until(() -> scheduledCondition(fixture.get("aa-3")) != null);
        PodCondition condition = scheduledCondition(fixture.get("aa-3"));
        assertThat(condition.getStatus()).isEqualTo("False");
        assertThat(condition.getReason()).isEqualTo("Unschedulable");
        assertThat(condition.getMessage()).isEqualTo(
                "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.");
        assertThat(fixture.get("aa-3").getSpec().getNodeName()).isNull();

        String freed = fixture.get("aa-1").getSpec().getNodeName();
        fixture.client.pods().withName("aa-1").delete();
        await().until(() -> fixture.get("aa-3").getSpec().getNodeName() != null);
        assertThat(fixture.get("aa-3").getSpec().getNodeName()).as("the only node without an anti-affine pod")
                .isEqualTo(freed);
    }

    @Test
    void aPodGoesWhereItsBoundVolumeIs() {
        fixture.client.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName("pv-on-3")
                .endMetadata().withNewSpec().withCapacity(Map.of("storage", new Quantity("1Gi")))
                .withAccessModes("ReadWriteOnce").withNewLocal().withPath(fixture.stateDir.toString()).endLocal()
                .withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression()
                .withKey("kubernetes.io/hostname").withOperator("In").withValues("host-3").endMatchExpression()
                .endNodeSelectorTerm().endRequired().endNodeAffinity().endSpec().build()).create();
        fixture.client.persistentVolumeClaims().resource(new PersistentVolumeClaimBuilder().withNewMetadata()
                .withName("bound-claim").endMetadata().withNewSpec().withVolumeName("pv-on-3")
                .withAccessModes("ReadWriteOnce").endSpec().build()).create();
        fixture.client.pods().resource(ControlPlaneFixture.pod("with-volume", Map.of("app", "v"))
                .editSpec().addNewVolume().withName("data").withNewPersistentVolumeClaim()
                .withClaimName("bound-claim").endPersistentVolumeClaim().endVolume().endSpec().build()).create();
        await().until(() -> fixture.get("with-volume").getSpec().getNodeName() != null);
        assertThat(fixture.get("with-volume").getSpec().getNodeName()).isEqualTo("node-3");
    }

    private static Pod antiAffine(String name) {
        return ControlPlaneFixture.pod(name, Map.of("app", "aa")).editSpec().withNewAffinity().withNewPodAntiAffinity()
                .addNewRequiredDuringSchedulingIgnoredDuringExecution().withTopologyKey("kubernetes.io/hostname")
                .withNewLabelSelector().addToMatchLabels("app", "aa").endLabelSelector()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().endAffinity().endSpec()
                .build();
    }

    private static PodCondition scheduledCondition(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getConditions() == null ? null
                : pod.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType()))
                .findFirst().orElse(null);
    }
}
