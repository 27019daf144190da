package io.cassandraoperator.local.controllers;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The local-PV provisioner and the simulated nodes with their failure injection. */
class VolumesAndNodesTest {
    @RegisterExtension
    static final ControlPlaneFixture fixture = new ControlPlaneFixture();

    @Test
    void threeReadyNodesInThreeZones() {
        assertThat(fixture.client.nodes().list().getItems()).extracting(n -> n.getMetadata().getName())
                .containsExactly("node-1", "node-2", "node-3");
        Node second = fixture.client.nodes().withName("node-2").get();
        assertThat(second.getMetadata().getLabels()).containsEntry("kubernetes.io/hostname", "host-2")
                .containsEntry("topology.kubernetes.io/zone", "zone-b");
        assertThat(second.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("True");
        });
    }

    @Test
    void aClaimGetsALocalVolumeOnItsPodsNodeAndLosesItWhenDeleted() throws Exception {
        PersistentVolumeClaim claim = fixture.client.persistentVolumeClaims().resource(claim("data-a")).create();
        assertThat(fixture.client.persistentVolumes().list().getItems()).as("WaitForFirstConsumer").isEmpty();
        fixture.client.pods().resource(ControlPlaneFixture.pod("consumer-a", Map.of("app", "a")).editSpec()
                .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("data-a")
                .endPersistentVolumeClaim().endVolume().endSpec().build()).create();

        await().until(() -> "Bound".equals(phase(fixture.client.persistentVolumeClaims().withName("data-a").get())));
        String node = fixture.get("consumer-a").getSpec().getNodeName();
        PersistentVolumeClaim bound = fixture.client.persistentVolumeClaims().withName("data-a").get();
        PersistentVolume pv = fixture.client.persistentVolumes().withName(bound.getSpec().getVolumeName()).get();
        Path directory = fixture.stateDir.resolve("nodes").resolve(node).resolve("volumes").resolve(pv.getMetadata().getName());
        assertThat(pv.getSpec().getLocal().getPath()).isEqualTo(directory.toAbsolutePath().toString());
        assertThat(directory).isDirectory();
        assertThat(pv.getSpec().getClaimRef().getUid()).isEqualTo(claim.getMetadata().getUid());
        assertThat(pv.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms().get(0).getMatchExpressions()
                .get(0).getValues()).as("pinned by the hostname label, not the name").containsExactly(NodeLifecycle.hostname(node));
        assertThat(pv.getSpec().getCapacity().get("storage")).isEqualTo(new Quantity("2Gi"));

        Files.writeString(directory.resolve("sstable"), "data");
        fixture.plane.nodes().wipeDisk(pv.getMetadata().getName());
        assertThat(directory).isEmptyDirectory();

        fixture.client.pods().withName("consumer-a").delete();
        fixture.client.persistentVolumeClaims().withName("data-a").delete();
        await().until(() -> fixture.client.persistentVolumes().withName(pv.getMetadata().getName()).get() == null);
        assertThat(directory).doesNotExist();
    }

    @Test
    void aClaimInUseStaysUntilItsPodIsGone() {
        fixture.client.persistentVolumeClaims().resource(claim("data-p")).create();
        assertThat(fixture.client.persistentVolumeClaims().withName("data-p").get().getMetadata().getFinalizers())
                .containsExactly("kubernetes.io/pvc-protection");
        fixture.kubelet.stuckTerminating.add("consumer-p");
        fixture.client.pods().resource(ControlPlaneFixture.pod("consumer-p", Map.of("app", "p")).editSpec()
                .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("data-p")
                .endPersistentVolumeClaim().endVolume().endSpec().build()).create();
        await().until(() -> "Bound".equals(phase(fixture.client.persistentVolumeClaims().withName("data-p").get())));
        String pv = fixture.client.persistentVolumeClaims().withName("data-p").get().getSpec().getVolumeName();

        fixture.client.persistentVolumeClaims().withName("data-p").delete();
        fixture.client.pods().withName("consumer-p").delete();
        await().during(java.time.Duration.ofSeconds(2)).atMost(java.time.Duration.ofSeconds(5)).until(() ->
                fixture.client.persistentVolumeClaims().withName("data-p").get() != null
                        && fixture.client.persistentVolumes().withName(pv).get() != null);

        fixture.kubelet.stuckTerminating.remove("consumer-p");
        await().until(() -> fixture.client.persistentVolumeClaims().withName("data-p").get() == null
                && fixture.client.persistentVolumes().withName(pv).get() == null);
    }

    @Test
    void aDeletedNodeTakesItsPodsAndDisks() {
        fixture.client.persistentVolumeClaims().resource(claim("data-n")).create();
        fixture.client.pods().resource(ControlPlaneFixture.pod("on-doomed-node", Map.of("app", "n")).editSpec()
                .withNodeName("node-3").addNewVolume().withName("data").withNewPersistentVolumeClaim()
                .withClaimName("data-n").endPersistentVolumeClaim().endVolume().endSpec().build()).create();
        await().until(() -> "Bound".equals(phase(fixture.client.persistentVolumeClaims().withName("data-n").get())));
        Path nodeDir = fixture.stateDir.resolve("nodes").resolve("node-3");
        assertThat(nodeDir).isDirectory();

        fixture.plane.nodes().deleteNode("node-3");
        await().until(() -> fixture.get("on-doomed-node") == null);
        await().until(() -> !Files.exists(nodeDir));
        assertThat(fixture.client.nodes().withName("node-3").get()).isNull();
        fixture.plane.nodes().ensureNodes();
        assertThat(fixture.client.nodes().withName("node-3").get()).isNotNull();
    }

    private static String phase(PersistentVolumeClaim claim) {
        return claim.getStatus() == null ? null : claim.getStatus().getPhase();
    }

    private static PersistentVolumeClaim claim(String name) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withAccessModes("ReadWriteOnce").withStorageClassName("local-storage").withNewResources()
                .addToRequests("storage", new Quantity("2Gi")).endResources().endSpec().build();
    }
}
