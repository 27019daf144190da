package io.cassandraoperator.operator;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.EventReason;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static io.cassandraoperator.operator.OperatorHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What rolls a rack besides the Cluster's own spec, and how the restart is reported (#20). */
class RollingRestartReasonsTest {
    private static final Duration STEP = Duration.ofSeconds(20);

    @RegisterExtension
    final OperatorHarness harness = new OperatorHarness();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void countRestarts() {
        Metrics.addRegistry(meters);
    }

    @AfterEach
    void stopCounting() {
        Metrics.removeRegistry(meters);
    }

    private String templateAnnotation(String key) {
        Map<String, String> annotations = harness.statefulSet("r-dc1-rack1").getSpec().getTemplate().getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    private double restarts(String reason) {
        return meters.find("cassandra.operator.rolling.restarts").tag("reason", reason).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    private void writeConfigMap(String yaml) {
        harness.api.client.configMaps().inNamespace(NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("r-config").endMetadata().addToData(Contract.UserConfig.CASSANDRA_YAML, yaml).build()).createOr(c -> c.update());
    }

    @Test
    void aChangedRackConfigMapAndAForcedReasonEachRollTheRackWithTheirReason() {
        writeConfigMap("concurrent_reads: 32\n");
        Cluster cluster = TestClusters.cluster("r", NAMESPACE, 3);
        cluster.getSpec().getDatacenter().getRacks().get(0).setConfigMapName("r-config");
        harness.create(cluster);
        harness.awaitReady("r", 3);
        String first = templateAnnotation(Contract.Annotations.CONFIG_HASH);
        assertThat(first).as("the template carries the ConfigMap's digest").isNotNull();
        assertThat(harness.events(EventReason.RollingRestart)).as("creating a rack restarts nothing").isEmpty();

        writeConfigMap("concurrent_reads: 64\n");
        await().atMost(STEP).until(() -> !first.equals(templateAnnotation(Contract.Annotations.CONFIG_HASH)));
        await().atMost(STEP).until(() -> harness.events(EventReason.RollingRestart).size() == 1);
        Event configured = harness.events(EventReason.RollingRestart).get(0);
        assertThat(configured.getMessage()).contains("r-dc1-rack1", "reason Configuration", "contents of the rack's ConfigMap");
        assertThat(restarts("Configuration")).isEqualTo(1.0);
        harness.awaitReady("r", 3);

        harness.editSpec("r", c -> c.getSpec().setForceRedeploymentReason("rotate keystore 2026-12-01"));
        await().atMost(STEP).until(() -> "rotate keystore 2026-12-01".equals(templateAnnotation(Contract.Annotations.FORCE_REDEPLOYMENT_REASON)));
        await().atMost(STEP).until(() -> harness.events(EventReason.RollingRestart).size() == 2);
        assertThat(harness.events(EventReason.RollingRestart)).anySatisfy(e ->
                assertThat(e.getMessage()).contains("reason Forced", "forced: rotate keystore 2026-12-01"));
        assertThat(restarts("Forced")).isEqualTo(1.0);
        harness.awaitReady("r", 3);

        harness.api.client.configMaps().inNamespace(NAMESPACE).withName("r-config").delete();
        String written = templateAnnotation(Contract.Annotations.CONFIG_HASH);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(6))
                .until(() -> written.equals(templateAnnotation(Contract.Annotations.CONFIG_HASH)));
        assertThat(harness.events(EventReason.RollingRestart)).as("a missing ConfigMap restarts nothing").hasSize(2);
        assertThat(harness.controllers.violations).isEmpty();
    }
}
