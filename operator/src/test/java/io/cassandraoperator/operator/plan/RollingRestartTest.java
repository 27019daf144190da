package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.RackSpec;
import io.cassandraoperator.operator.TestClusters;
import io.cassandraoperator.operator.model.RackConfigDigest;
import io.cassandraoperator.operator.model.RackStatefulSet;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class RollingRestartTest {
    private final Cluster cluster = TestClusters.cluster("c", "ns", 3);

    private RackSpec rack() {
        return cluster.getSpec().getDatacenter().getRacks().get(0);
    }

    private StatefulSet build(RackConfigDigest digest) {
        return RackStatefulSet.build(cluster, rack(), 0, digest);
    }

    private static ConfigMap configMap(Map<String, String> data) {
        return new ConfigMapBuilder().withNewMetadata().withName("c-config").endMetadata().withData(data).build();
    }

    private Optional<RollingRestart> after(Consumer<Cluster> change) {
        StatefulSet before = RackStatefulSet.build(cluster, rack(), 0);
        change.accept(cluster);
        return RollingRestart.between(before, RackStatefulSet.build(cluster, rack(), 0));
    }

    @Test
    void anUnchangedTemplateIsNoRestart() {
        assertThat(RollingRestart.between(RackStatefulSet.build(cluster, rack(), 3), RackStatefulSet.build(cluster, rack(), 0))).isEmpty();
    }

    @Test
    void aNewVersionIsAVersionRestartNamingBothImages() {
        assertThat(after(c -> c.getSpec().setVersion("5.0.8"))).get().satisfies(r -> {
            assertThat(r.reasons()).containsExactly(RestartReason.VERSION);
            assertThat(r.detail()).contains(":5.0.6 to ", ":5.0.8");
            assertThat(r.statefulSet()).isEqualTo("c-dc1-rack1");
        });
    }

    @Test
    void newResourcesAreAResourcesRestart() {
        assertThat(after(c -> rack().setResources(new ResourceRequirementsBuilder().addToLimits("memory", new Quantity("4Gi")).build())))
                .get().extracting(RollingRestart::reasons).asList().containsExactly(RestartReason.RESOURCES);
    }

    @Test
    void aNewForcedReasonIsAForcedRestartWithItsText() {
        assertThat(after(c -> c.getSpec().setForceRedeploymentReason("rotate keystore"))).get().satisfies(r -> {
            assertThat(r.reasons()).containsExactly(RestartReason.FORCED);
            assertThat(r.detail()).contains("rotate keystore");
            assertThat(r.reasonTags()).isEqualTo("Forced");
        });
    }

    @Test
    void configMapContentsAndJvmOptionsAreTheirOwnReasons() {
        rack().setConfigMapName("c-config");
        StatefulSet v1 = build(RackConfigDigest.of("c-config", Optional.of(configMap(Map.of("cassandra.yaml", "a: 1"))), Optional.empty()));
        StatefulSet yamlChanged = build(RackConfigDigest.of("c-config", Optional.of(configMap(Map.of("cassandra.yaml", "a: 2"))), Optional.empty()));
        StatefulSet jvmAdded = build(RackConfigDigest.of("c-config",
                Optional.of(configMap(Map.of("cassandra.yaml", "a: 1", Contract.UserConfig.JVM_OPTIONS, "-XX:+UseZGC"))), Optional.empty()));

        assertThat(RollingRestart.between(v1, yamlChanged)).get().extracting(RollingRestart::reasons).asList()
                .containsExactly(RestartReason.CONFIGURATION);
        assertThat(RollingRestart.between(v1, jvmAdded)).get().extracting(RollingRestart::reasons).asList()
                .as("the rest of the ConfigMap is the same").containsExactly(RestartReason.JVM_OPTIONS);
        assertThat(v1.getSpec().getTemplate().getMetadata().getAnnotations()).containsKey(Contract.Annotations.CONFIG_HASH)
                .doesNotContainKey(Contract.Annotations.JVM_OPTIONS_HASH);
    }

    @Test
    void aConfigMapThatWentMissingKeepsTheWrittenDigestsSoNothingRestarts() {
        rack().setConfigMapName("c-config");
        StatefulSet written = build(RackConfigDigest.of("c-config",
                Optional.of(configMap(Map.of("cassandra.yaml", "a: 1", Contract.UserConfig.JVM_OPTIONS, "-XX:+UseZGC"))), Optional.empty()));
        StatefulSet missing = build(RackConfigDigest.of("c-config", Optional.empty(), Optional.of(written.getSpec().getTemplate())));

        assertThat(RollingRestart.between(written, missing)).isEmpty();
        assertThat(RackConfigDigest.of("c-config", Optional.empty(), Optional.empty()).configHash()).isEqualTo("absent");
    }

    @Test
    void aRackWithoutConfigMapOrForcedReasonCarriesNoneOfTheirAnnotations() {
        assertThat(RackStatefulSet.build(cluster, rack(), 0).getSpec().getTemplate().getMetadata().getAnnotations())
                .as("an older operator's template stays as it was: no restart on an operator upgrade")
                .isNull();
    }

    @Test
    void anotherTemplateChangeIsAPodTemplateRestartAndAnOlderOperatorsStatefulSetOnlyByTheNamedParts() {
        StatefulSet before = RackStatefulSet.build(cluster, rack(), 0);
        rack().setAnnotations(Map.of("team", "storage"));
        StatefulSet after = RackStatefulSet.build(cluster, rack(), 0);
        assertThat(RollingRestart.between(before, after)).get().extracting(RollingRestart::reasons).asList()
                .containsExactly(RestartReason.POD_TEMPLATE);

        before.getMetadata().setAnnotations(Map.of(Contract.Annotations.VERSION, "5.0.6"));
        assertThat(RollingRestart.between(before, after)).as("no template digest recorded: only named parts count").isEmpty();
    }
}
