package io.cassandraoperator.operator;

import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class OperatorSettingsTest {
    @Test
    void namespacesFromWatchNamespacesEmptyMeaningAll() {
        assertThat(OperatorSettings.fromEnvironment(Map.of()).namespaces()).isEmpty();
        assertThat(OperatorSettings.fromEnvironment(Map.of("WATCH_NAMESPACES", "")).namespaces()).isEmpty();
        assertThat(OperatorSettings.fromEnvironment(Map.of("WATCH_NAMESPACES", "a, b,,c")).namespaces()).isEqualTo(Set.of("a", "b", "c"));
    }

    @Test
    void agentsOnTheirPodIpAndTheAgentPort() {
        OperatorSettings settings = OperatorSettings.fromEnvironment(Map.of());
        assertThat(settings.agentPort()).isEqualTo(8080);
        assertThat(settings.operationPollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.decommissionPollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.agent(new PodBuilder().withNewStatus().withPodIP("10.1.2.3").endStatus().build()))
                .contains(URI.create("http://10.1.2.3:8080/"));
        assertThat(settings.agent(new PodBuilder().withNewStatus().endStatus().build())).isEmpty();
        OperatorSettings local = new OperatorSettings(Set.of(), 18080, Duration.ofMillis(100), java.util.Optional.empty());
        assertThat(local.decommissionPollInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(local.agent(new PodBuilder().withNewStatus().withPodIP("fd00::5").endStatus().build()))
                .contains(URI.create("http://[fd00::5]:18080/"));
    }
}
