package io.cassandraoperator.operator;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.ClusterMode;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.EventReason;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.cassandraoperator.operator.OperatorHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Each change that would lose data or cannot work leaves every object as it was and says why. */
class RefusedChangeTest {
    @RegisterExtension
    final OperatorHarness harness = new OperatorHarness();

    @BeforeEach
    void createCluster() {
        harness.createReady("c", 3);
    }

    static Stream<Arguments> refusedChanges() {
        return Stream.of(
                Arguments.of("ScaleDownBelowReplicationFactor", "replication factor 3",
                        (Consumer<Cluster>) c -> c.getSpec().getDatacenter().getRacks().get(0).setMembers(2)),
                Arguments.of("DatacenterRenameRefused", "'dc1'",
                        (Consumer<Cluster>) c -> c.getSpec().getDatacenter().setName("dc2")),
                Arguments.of("VersionDowngradeRefused", "5.0.5",
                        (Consumer<Cluster>) c -> c.getSpec().setVersion("5.0.5")),
                Arguments.of("UnsupportedMode", "scylla",
                        (Consumer<Cluster>) c -> c.getSpec().setMode(ClusterMode.SCYLLA)),
                Arguments.of("RackRemovalRefused", "rack 'rack1'",
                        (Consumer<Cluster>) c -> c.getSpec().getDatacenter().getRacks().set(0, TestClusters.rack("rack2", 3))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedChanges")
    void refusedChangeTouchesNothingAndSaysWhy(String reason, String messagePart, Consumer<Cluster> change) {
        Map<String, String> before = resourceVersions();
        harness.editSpec("c", change);

        await().atMost(Duration.ofSeconds(20)).until(() -> harness.condition("c", "Degraded")
                .map(c -> "True".equals(c.getStatus()) && reason.equals(c.getReason())).orElse(false));
        assertThat(harness.condition("c", "Degraded").orElseThrow().getMessage()).contains(messagePart);
        assertThat(harness.condition("c", "Ready")).get().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo(reason);
        });
        assertThat(harness.events(EventReason.valueOf(reason))).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getMessage()).contains(messagePart);
            assertThat(e.getInvolvedObject().getName()).isEqualTo("c");
        });
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> resourceVersions().equals(before));
        assertThat(harness.agents.totalPosts()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedChanges")
    void correctingTheSpecClearsTheRefusal(String reason, String messagePart, Consumer<Cluster> change) {
        Cluster original = harness.cluster("c").get();
        harness.editSpec("c", change);
        await().atMost(Duration.ofSeconds(20)).until(() -> harness.conditionIs("c", "Degraded", "True"));
        harness.editSpec("c", c -> c.setSpec(original.getSpec()));
        await().atMost(Duration.ofSeconds(20)).until(() -> harness.conditionIs("c", "Degraded", "False")
                && harness.conditionIs("c", "Ready", "True"));
    }

    @org.junit.jupiter.api.Test
    void anErrorFromTheApiServerShowsInDegradedAndClearsWhenItStops() {
        // The API server refuses every member Service it is asked to create.
        harness.api.server.expect().post().withPath("/api/v1/namespaces/" + NAMESPACE + "/services")
                .andReturn(403, new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(403).withReason("Forbidden")
                        .withMessage("services is forbidden: quota exceeded").build()).times(3);
        harness.editSpec("c", c -> c.getSpec().getDatacenter().getRacks().get(0).setMembers(4));
        await().atMost(Duration.ofSeconds(20)).until(() -> harness.condition("c", "Degraded")
                .map(c -> "ReconcileFailed".equals(c.getReason()) && c.getMessage().contains("quota exceeded")).orElse(false));
        assertThat(harness.conditionIs("c", "Ready", "True")).isTrue();
        harness.awaitReady("c", 4);
        assertThat(harness.conditionIs("c", "Degraded", "False")).isTrue();
    }

    @org.junit.jupiter.api.Test
    void aVersionThePodsRanHigherThanTheSpecIsADowngrade() {
        // The version is read from the pods, not remembered: an operator restarted on an upgraded cluster knows it.
        harness.stopOperator();
        StatefulSet set = harness.statefulSet("c-dc1-rack1");
        harness.api.client.resource(new StatefulSetBuilder(set).editMetadata()
                .addToAnnotations(Contract.Annotations.VERSION, "5.1.0").endMetadata().build()).update();
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            harness.api.client.pods().inNamespace(NAMESPACE).withName("c-dc1-rack1-" + ordinal).edit(p -> {
                p.getSpec().getContainers().get(0).setImage("cassandra-operator/cassandra:5.1.0");
                return p;
            });
        }
        harness.startOperator();
        await().atMost(Duration.ofSeconds(20)).until(() -> harness.condition("c", "Degraded")
                .map(c -> "VersionDowngradeRefused".equals(c.getReason())).orElse(false));
        assertThat(harness.statefulSet("c-dc1-rack1").getMetadata().getAnnotations()).containsEntry(Contract.Annotations.VERSION, "5.1.0");
    }

    private Map<String, String> resourceVersions() {
        Map<String, String> versions = new TreeMap<>();
        Stream.<HasMetadata>concat(Stream.concat(
                        harness.api.client.apps().statefulSets().inNamespace(NAMESPACE).list().getItems().stream(),
                        harness.api.client.services().inNamespace(NAMESPACE).list().getItems().stream()),
                Stream.concat(Stream.concat(
                        harness.api.client.configMaps().inNamespace(NAMESPACE).list().getItems().stream(),
                        harness.api.client.secrets().inNamespace(NAMESPACE).list().getItems().stream()),
                        Stream.concat(harness.api.client.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems().stream(),
                                harness.api.client.policy().v1().podDisruptionBudget().inNamespace(NAMESPACE).list().getItems().stream())))
                .forEach(o -> versions.put(o.getKind() + "/" + o.getMetadata().getName(), o.getMetadata().getResourceVersion()));
        return versions;
    }
}
