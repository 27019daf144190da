package io.cassandraoperator.operator;

import io.cassandraoperator.api.EventReason;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.cassandraoperator.operator.OperatorHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 17, rule 9: a larger storage request reaches the members' claims when their StorageClass allows volume
 * expansion (a StatefulSet's claim templates cannot change), restarts no member, and is refused otherwise.
 */
class ClaimExpansionTest {
    private static final Duration STEP = Duration.ofSeconds(30);

    @RegisterExtension
    final OperatorHarness harness = new OperatorHarness();

    private void storageClass(boolean expandable) {
        harness.api.client.storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata()
                .withName("local-storage").endMetadata().withProvisioner("example.com/disk")
                .withAllowVolumeExpansion(expandable).build()).create();
    }

    private void askFor(String size) {
        harness.editSpec("c", c -> c.getSpec().getDatacenter().getRacks().get(0).getStorage().getVolumeClaimTemplates().get(0)
                .getSpec().getResources().setRequests(Map.of("storage", new Quantity(size))));
    }

    private Map<String, Quantity> claimSizes() {
        return harness.api.client.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems().stream()
                .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c.getSpec().getResources().getRequests().get("storage")));
    }

    private Map<String, String> podUids() {
        List<Pod> pods = harness.api.client.pods().inNamespace(NAMESPACE).list().getItems();
        return pods.stream().collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getMetadata().getUid()));
    }

    @Test
    void aLargerRequestOnAnExpandableStorageClassRaisesEveryClaimAndRestartsNoMember() {
        storageClass(true);
        harness.createReady("c", 3);
        Map<String, String> pods = podUids();
        assertThat(claimSizes()).hasSize(3).allSatisfy((claim, size) -> assertThat(size).isEqualTo(new Quantity("5Gi")));

        askFor("8Gi");
        await().atMost(STEP).untilAsserted(() -> assertThat(claimSizes()).hasSize(3)
                .allSatisfy((claim, size) -> assertThat(size).isEqualTo(new Quantity("8Gi"))));
        await().atMost(STEP).until(() -> harness.events(EventReason.ClaimExpanded).size() == 3);
        harness.awaitReady("c", 3);
        assertThat(harness.condition("c", "Degraded")).get().satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
        assertThat(podUids()).as("no member restarted").isEqualTo(pods);
        assertThat(harness.events(EventReason.ClaimExpanded)).allSatisfy(e -> assertThat(e.getMessage())
                .contains("to 8Gi").contains("local-storage allows volume expansion"));
    }

    @Test
    void aLargerRequestOnAStorageClassThatCannotExpandIsRefusedAndTouchesNoClaim() {
        storageClass(false);
        harness.createReady("c", 3);
        Map<String, PersistentVolumeClaim> before = harness.api.client.persistentVolumeClaims().inNamespace(NAMESPACE).list()
                .getItems().stream().collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c));

        askFor("8Gi");
        await().atMost(STEP).until(() -> harness.condition("c", "Degraded")
                .map(c -> "True".equals(c.getStatus()) && EventReason.StorageSizeChangeRefused.name().equals(c.getReason())
                        && c.getMessage().contains("does not allow volume expansion"))
                .orElse(false));
        assertThat(claimSizes()).allSatisfy((claim, size) -> assertThat(size).isEqualTo(new Quantity("5Gi")));
        assertThat(harness.api.client.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems())
                .allSatisfy(c -> assertThat(c.getMetadata().getResourceVersion())
                        .isEqualTo(before.get(c.getMetadata().getName()).getMetadata().getResourceVersion()));
        assertThat(harness.events(EventReason.ClaimExpanded)).isEmpty();
    }
}
