package io.cassandraoperator.operator;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.ClusterStatus;
import io.cassandraoperator.api.Contract.Labels;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.EventReason;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static io.cassandraoperator.operator.OperatorHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Creating a cluster and growing it, with the operator in-process against the CRUD mock API server. */
class ClusterLifecycleTest {
    @RegisterExtension
    final OperatorHarness harness = new OperatorHarness();

    @Test
    void createsEveryObjectOwnedLabelledAndWithSeedsThenReportsReady() {
        Cluster created = harness.createReady("c", 3);

        List<HasMetadata> owned = new ArrayList<>();
        owned.add(harness.statefulSet("c-dc1-rack1"));
        owned.add(harness.service("c-client"));
        ConfigMap members = harness.api.client.configMaps().inNamespace(NAMESPACE).withName("c-members").get();
        owned.add(members);
        owned.add(harness.api.client.policy().v1().podDisruptionBudget().inNamespace(NAMESPACE).withName("c-pdb").get());
        for (HasMetadata object : owned) {
            assertThat(object).as("object exists").isNotNull();
            assertThat(object.getMetadata().getOwnerReferences()).as(object.getKind() + " " + object.getMetadata().getName())
                    .singleElement().extracting(OwnerReference::getUid).isEqualTo(created.getMetadata().getUid());
            assertThat(object.getMetadata().getLabels()).containsEntry(Labels.CLUSTER, "c").containsEntry(Labels.MANAGED_BY, "cassandra-operator");
        }
        // What the data needs outlives the Cluster (issue 17, rule 5): no owner the garbage collector could follow.
        List<HasMetadata> retained = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            retained.add(harness.service("c-dc1-rack1-" + i));
        }
        retained.add(harness.api.client.secrets().inNamespace(NAMESPACE).withName("c-agent").get());
        retained.add(harness.api.client.secrets().inNamespace(NAMESPACE).withName("c-superuser").get());
        retained.addAll(harness.api.client.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems());
        assertThat(retained).hasSize(8).allSatisfy(object -> {
            assertThat(object.getMetadata().getOwnerReferences()).as(object.getKind() + " " + object.getMetadata().getName()).isNullOrEmpty();
            assertThat(object.getMetadata().getLabels()).containsEntry(Labels.CLUSTER, "c");
        });
        assertThat(harness.cluster("c").get().getMetadata().getFinalizers()).as("claims retained: no finalizer").isNullOrEmpty();
        assertThat(harness.statefulSet("c-dc1-rack1").getSpec().getReplicas()).isEqualTo(3);
        assertThat(harness.statefulSet("c-dc1-rack1").getMetadata().getLabels()).containsEntry(Labels.DATACENTER, "dc1").containsEntry(Labels.RACK, "rack1");

        List<String> ips = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Service member = harness.service("c-dc1-rack1-" + i);
            assertThat(member.getMetadata().getLabels()).containsEntry(Labels.SEED, "true");
            ips.add(member.getSpec().getClusterIP());
            assertThat(members.getData()).containsEntry("c-dc1-rack1-" + i, member.getSpec().getClusterIP());
        }
        assertThat(members.getData().get("seeds")).isEqualTo(String.join(",", ips));

        ClusterStatus status = harness.status("c");
        assertThat(status.getRacks().get("rack1").getMembers()).isEqualTo(3);
        assertThat(status.getRacks().get("rack1").getReadyMembers()).isEqualTo(3);
        assertThat(status.getObservedGeneration()).isEqualTo(harness.cluster("c").get().getMetadata().getGeneration());
        assertThat(harness.condition("c", "Progressing")).get().extracting("status").isEqualTo("False");
        assertThat(harness.condition("c", "Degraded")).get().extracting("status").isEqualTo("False");
        assertThat(harness.events(EventReason.MemberAdded)).hasSize(3);
        assertThat(harness.controllers.violations).isEmpty();
    }

    @Test
    void keepsASuperuserSecretTheUserCreatedAndNeverShowsThePassword() throws Exception {
        harness.api.client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
                .withNewMetadata().withName("s-superuser").withNamespace(NAMESPACE).endMetadata()
                .addToData("username", encoded("dba")).addToData("password", encoded("users-own-password-0123456789"))
                .build()).create();
        harness.createReady("s", 3);

        Secret kept = harness.api.client.secrets().inNamespace(NAMESPACE).withName("s-superuser").get();
        assertThat(kept.getMetadata().getOwnerReferences()).as("not taken over").isNullOrEmpty();
        assertThat(decoded(kept, "username")).isEqualTo("dba");
        assertThat(decoded(kept, "password")).isEqualTo("users-own-password-0123456789");

        harness.createReady("g", 1);
        String generated = decoded(harness.api.client.secrets().inNamespace(NAMESPACE).withName("g-superuser").get(), "password");
        String shown = Serialization.asJson(harness.cluster("g").get()) + Serialization.asJson(
                harness.api.client.v1().events().inNamespace(NAMESPACE).list().getItems());
        assertThat(shown).doesNotContain(generated).doesNotContain("users-own-password-0123456789");
    }

    private static String encoded(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String decoded(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    @Test
    void seedsSpreadOverRacksAndMembersJoinInFairOrder() {
        harness.createReady("m", 2, 2, 1);
        assertThat(List.of("m-dc1-rack1-0", "m-dc1-rack2-0", "m-dc1-rack3-0"))
                .allSatisfy(s -> assertThat(harness.service(s).getMetadata().getLabels()).containsEntry(Labels.SEED, "true"));
        assertThat(List.of("m-dc1-rack1-1", "m-dc1-rack2-1"))
                .allSatisfy(s -> assertThat(harness.service(s).getMetadata().getLabels()).doesNotContainKey(Labels.SEED));
        List<String> order = harness.events(EventReason.MemberAdded).stream()
                .sorted(java.util.Comparator.comparing(e -> java.time.Instant.parse(e.getLastTimestamp())))
                .map(e -> e.getMessage().split(" ")[2]).toList();
        // The rack furthest below its count first, ties in spec order.
        assertThat(order).containsExactly("m-dc1-rack1-0", "m-dc1-rack2-0", "m-dc1-rack1-1", "m-dc1-rack2-1", "m-dc1-rack3-0");
        assertThat(harness.api.client.configMaps().inNamespace(NAMESPACE).withName("m-members").get().getData().get("seeds"))
                .isEqualTo(String.join(",", harness.service("m-dc1-rack1-0").getSpec().getClusterIP(),
                        harness.service("m-dc1-rack2-0").getSpec().getClusterIP(), harness.service("m-dc1-rack3-0").getSpec().getClusterIP()));
        assertThat(harness.controllers.violations).isEmpty();
    }

    @Test
    void scalesUpOneMemberAtATime() {
        harness.createReady("c", 3);
        String token = harness.api.client.secrets().inNamespace(NAMESPACE).withName("c-agent").get().getData().get("token");
        harness.controllers.autoReady = false;

        harness.editSpec("c", c -> c.getSpec().getDatacenter().getRacks().get(0).setMembers(5));
        await().atMost(Duration.ofSeconds(20)).until(() -> harness.replicas("c-dc1-rack1") == 4);
        // Member 3 is joining: nothing else starts however long it takes.
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> harness.replicas("c-dc1-rack1") == 4);
        assertThat(harness.condition("c", "Progressing")).get().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getMessage()).contains("c-dc1-rack1-3");
        });
        assertThat(harness.condition("c", "Ready")).get().extracting("status").isEqualTo("False");

        harness.controllers.markReady("c-dc1-rack1-3");
        await().atMost(Duration.ofSeconds(20)).until(() -> harness.replicas("c-dc1-rack1") == 5);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !harness.conditionIs("c", "Ready", "True"));
        harness.controllers.markReady("c-dc1-rack1-4");
        harness.awaitReady("c", 5);

        assertThat(harness.service("c-dc1-rack1-3").getMetadata().getLabels()).doesNotContainKey(Labels.SEED);
        assertThat(harness.api.client.secrets().inNamespace(NAMESPACE).withName("c-agent").get().getData().get("token"))
                .as("the agent token is never rotated").isEqualTo(token);
        assertThat(harness.controllers.violations).isEmpty();
    }

    @Test
    void aNewVersionRollsOutOneRackAtATime() {
        harness.createReady("u", 2, 2);
        harness.controllers.holdRollout = true;

        harness.editSpec("u", c -> c.getSpec().setVersion("5.0.7"));
        await().atMost(Duration.ofSeconds(20)).until(() -> image("u-dc1-rack1").endsWith(":5.0.7"));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> image("u-dc1-rack2").endsWith(":5.0.6"));
        assertThat(harness.condition("u", "Progressing")).get().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getMessage()).contains("rack2").contains("u-dc1-rack1 is still rolling out");
        });

        harness.controllers.holdRollout = false;
        await().atMost(Duration.ofSeconds(20)).until(() -> image("u-dc1-rack2").endsWith(":5.0.7"));
        assertThat(harness.statefulSet("u-dc1-rack2").getMetadata().getAnnotations()).containsEntry(Contract.Annotations.VERSION, "5.0.7");
        await().atMost(Duration.ofSeconds(20)).until(() -> harness.conditionIs("u", "Progressing", "False"));
    }

    private String image(String statefulSet) {
        return harness.statefulSet(statefulSet).getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }
}
