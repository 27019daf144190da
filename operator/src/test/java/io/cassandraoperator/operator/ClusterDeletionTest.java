package io.cassandraoperator.operator;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.api.VolumeClaimRetentionPolicy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.cassandraoperator.operator.OperatorHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deleting a Cluster (issue 17, rule 5), with the mock API's garbage collector (FakeControllers): the default keeps
 * what the data needs and a recreated Cluster adopts it; whenDeleted: Delete deletes the claims only after the pods,
 * and the finalizer that orders it never blocks the deletion for ever; a StatefulSet deleted by hand deletes no claim.
 */
class ClusterDeletionTest {
    @RegisterExtension
    final OperatorHarness harness = new OperatorHarness();

    @Test
    void deletedWithClaimsRetainedKeepsServicesSecretsAndClaimsAndTheRecreatedClusterAdoptsThem() {
        Cluster first = harness.createReady("r", 3);
        assertThat(first.getMetadata().getFinalizers()).as("the Retain case carries no finalizer").isNullOrEmpty();
        Map<String, String> kept = keptUids("r");
        Map<String, String> addresses = addresses("r");
        // 3 member Services, 5 Secrets (superuser, agent token, CA, CA certificate, member certificates), 3 claims
        assertThat(kept).hasSize(3 + 5 + 3);

        harness.cluster("r").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> harness.cluster("r").get() == null && harness.statefulSet("r-dc1-rack1") == null
                && harness.api.client.pods().inNamespace(NAMESPACE).list().getItems().isEmpty()
                && harness.api.client.configMaps().inNamespace(NAMESPACE).withName("r-members").get() == null);
        assertThat(keptUids("r")).as("member Services, Secrets and claims outlive the Cluster").isEqualTo(kept);

        Cluster second = harness.createReady("r", 3);
        assertThat(second.getMetadata().getUid()).isNotEqualTo(first.getMetadata().getUid());
        assertThat(keptUids("r")).as("adopted as they are, nothing recreated").isEqualTo(kept);
        assertThat(addresses("r")).as("the same ClusterIPs").isEqualTo(addresses);
        assertThat(harness.controllers.claimUids.values()).as("each member's claim created once").allSatisfy(uids -> assertThat(uids).hasSize(1));
        assertThat(harness.statefulSet("r-dc1-rack1").getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(second.getMetadata().getUid()));
        assertThat(harness.controllers.violations).isEmpty();
    }

    @Test
    void deletedWithWhenDeletedDeleteLosesItsClaimsOnlyOnceThePodsAreGoneThenTheFinalizerGoes() {
        harness.create(deletingData(TestClusters.cluster("d", NAMESPACE, 3)));
        harness.awaitReady("d", 3);
        assertThat(harness.cluster("d").get().getMetadata().getFinalizers()).containsExactly(Contract.Finalizers.DELETE_DATA);
        Map<String, String> claims = claimUids("d");
        assertThat(claims).hasSize(3);
        harness.controllers.holdPodDeletion = true;

        harness.cluster("d").delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> harness.statefulSet("d-dc1-rack1") == null);
        // The pods stay (their deletion is held): no claim goes while a pod could still write to it.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> claimUids("d").equals(claims)
                && harness.cluster("d").get() != null);
        assertThat(harness.events(EventReason.ClaimsDeleted)).isEmpty();

        harness.controllers.holdPodDeletion = false;
        await().atMost(Duration.ofSeconds(30)).until(() -> harness.cluster("d").get() == null);
        assertThat(claimUids("d")).isEmpty();
        assertThat(keptUids("d")).as("member Services and Secrets went after the claims").isEmpty();
        assertThat(harness.events(EventReason.ClaimsDeleted)).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("data-d-dc1-rack1-0", "data-d-dc1-rack1-1", "data-d-dc1-rack1-2"));
        assertThat(harness.events(EventReason.DeletionCleanupFinished)).hasSize(1);
        assertThat(harness.events(EventReason.DeletionCleanupAbandoned)).isEmpty();
    }

    @Test
    void aCleanupThatCannotFinishStillLetsTheDeletionFinishAndNamesWhatWasLeft() {
        harness.stopOperator();
        harness.deletionCleanupLimit = Duration.ofSeconds(3);
        harness.startOperator();
        harness.create(deletingData(TestClusters.cluster("b", NAMESPACE, 1)));
        harness.awaitReady("b", 1);
        // A pod that never goes (a kubelet that is gone): the claims must not go, and the deletion must still end.
        harness.controllers.holdPodDeletion = true;

        harness.cluster("b").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> harness.cluster("b").get() == null);
        assertThat(harness.events(EventReason.DeletionCleanupAbandoned)).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getMessage()).contains("PT3S", "Pod b-dc1-rack1-0", "PersistentVolumeClaim data-b-dc1-rack1-0",
                    "Service b-dc1-rack1-0", "Secret b-superuser", "Secret b-agent");
        });
        assertThat(claimUids("b")).as("no claim deleted while its pod was there").hasSize(1);
        assertThat(harness.events(EventReason.ClaimsDeleted)).isEmpty();
    }

    @Test
    void aStatefulSetDeletedByHandDeletesNoClaim() {
        harness.createReady("h", 3);
        Map<String, String> claims = claimUids("h");
        String before = harness.statefulSet("h-dc1-rack1").getMetadata().getUid();

        harness.api.client.apps().statefulSets().inNamespace(NAMESPACE).withName("h-dc1-rack1").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> harness.statefulSet("h-dc1-rack1") != null
                && !harness.statefulSet("h-dc1-rack1").getMetadata().getUid().equals(before));
        harness.awaitReady("h", 3);
        assertThat(claimUids("h")).as("the same claims, never deleted").isEqualTo(claims);
        assertThat(harness.controllers.claimUids.values()).allSatisfy(uids -> assertThat(uids).hasSize(1));
    }

    private static Cluster deletingData(Cluster cluster) {
        VolumeClaimRetentionPolicy policy = new VolumeClaimRetentionPolicy();
        policy.setWhenDeleted(VolumeClaimRetentionPolicy.Policy.DELETE);
        cluster.getSpec().setPersistentVolumeClaimRetentionPolicy(policy);
        return cluster;
    }

    private Map<String, String> claimUids(String cluster) {
        Map<String, String> uids = new TreeMap<>();
        for (PersistentVolumeClaim claim : harness.api.client.persistentVolumeClaims().inNamespace(NAMESPACE)
                .withLabel(Contract.Labels.CLUSTER, cluster).list().getItems()) {
            uids.put(claim.getMetadata().getName(), claim.getMetadata().getUid());
        }
        return uids;
    }

    /** Member Services, the two Secrets and the claims, by kind and name. */
    private Map<String, String> keptUids(String cluster) {
        List<HasMetadata> objects = new ArrayList<>();
        harness.api.client.services().inNamespace(NAMESPACE).withLabel(Contract.Labels.CLUSTER, cluster).list().getItems().stream()
                .filter(s -> s.getMetadata().getLabels().containsKey(Contract.Labels.RACK)).forEach(objects::add);
        harness.api.client.secrets().inNamespace(NAMESPACE).withLabel(Contract.Labels.CLUSTER, cluster).list().getItems().forEach(objects::add);
        objects.addAll(harness.api.client.persistentVolumeClaims().inNamespace(NAMESPACE).withLabel(Contract.Labels.CLUSTER, cluster)
                .list().getItems());
        Map<String, String> uids = new TreeMap<>();
        objects.forEach(o -> uids.put(o.getKind() + "/" + o.getMetadata().getName(), o.getMetadata().getUid()));
        return uids;
    }

    private Map<String, String> addresses(String cluster) {
        Map<String, String> ips = new TreeMap<>();
        harness.api.client.services().inNamespace(NAMESPACE).withLabel(Contract.Labels.CLUSTER, cluster).list().getItems().stream()
                .filter(s -> s.getMetadata().getLabels().containsKey(Contract.Labels.RACK))
                .forEach(s -> ips.put(s.getMetadata().getName(), s.getSpec().getClusterIP()));
        return ips;
    }
}
