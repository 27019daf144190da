package io.cassandraoperator.agent.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentSettingsTest {

    private static Map<String, String> podEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("POD_NAME", "c-dc1-r1-0");
        env.put("POD_IP", "10.244.0.5");
        env.put("CASSANDRA_CLUSTER_NAME", "c");
        env.put("CASSANDRA_DATACENTER", "dc1");
        env.put("CASSANDRA_RACK", "r1");
        env.put("CASSANDRA_MEMBERS_DIR", "/etc/cassandra-operator/members");
        env.put("CASSANDRA_USER_CONFIG_DIR", "/etc/cassandra-operator/user");
        env.put("CASSANDRA_DATA_DIR", "/var/lib/cassandra");
        env.put("CASSANDRA_MAX_HEAP", "512M");
        env.put("CASSANDRA_AGENT_TOKEN", "t");
        env.put("CASSANDRA_CLASSPATH", "/opt/cassandra/lib/*");
        return env;
    }

    @Test
    void defaultsBindTheApiToThePodIpOnPort8080() {
        AgentSettings settings = AgentSettings.fromEnvironment(podEnvironment());

        assertThat(settings.bindAddress()).isEqualTo("10.244.0.5");
        assertThat(settings.port()).isEqualTo(8080);
        assertThat(settings.stopGrace()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.extraJvmOptions()).isEmpty();
        assertThat(settings.pluginsDir()).isEmpty();
        assertThat(settings.dataDir()).isEqualTo(Path.of("/var/lib/cassandra"));
        assertThat(settings.metricsPort()).isEqualTo(9500);
        assertThat(settings.metricsConfigDir()).isEqualTo(Path.of("/etc/cassandra-operator/metrics"));
        assertThat(settings.metricsExporterJar()).isEmpty();
    }

    @Test
    void superuserCredentialsComeTogetherOrNotAtAllAndHideThePassword() {
        assertThat(AgentSettings.fromEnvironment(podEnvironment()).superuser()).isEmpty();

        Map<String, String> env = podEnvironment();
        env.put("CASSANDRA_SUPERUSER_USERNAME", "c-superuser");
        env.put("CASSANDRA_SUPERUSER_PASSWORD", "p4ssw0rd-secret");
        AgentSettings settings = AgentSettings.fromEnvironment(env);
        assertThat(settings.superuser()).contains(new SuperuserCredentials("c-superuser", "p4ssw0rd-secret"));
        assertThat(settings.toString()).contains("c-superuser").doesNotContain("p4ssw0rd-secret");

        env.remove("CASSANDRA_SUPERUSER_PASSWORD");
        assertThatThrownBy(() -> AgentSettings.fromEnvironment(env))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CASSANDRA_SUPERUSER_PASSWORD is missing");
    }

    @Test
    void imageSettingsAreRead() {
        Map<String, String> env = podEnvironment();
        env.put("CASSANDRA_EXTRA_JVM_OPTS", " -Da=1   -Db=2 ");
        env.put("CASSANDRA_PLUGINS_DIR", "/plugins");
        env.put("AGENT_BIND_ADDRESS", "127.0.0.1");
        env.put("AGENT_PORT", "18080");
        env.put("CASSANDRA_STOP_GRACE_SECONDS", "5");
        env.put("CASSANDRA_METRICS_PORT", "0");
        env.put("CASSANDRA_METRICS_CONFIG_DIR", "/pv/metrics");
        env.put("CASSANDRA_METRICS_EXPORTER_JAR", "/image/exporter/agent.jar");

        AgentSettings settings = AgentSettings.fromEnvironment(env);

        assertThat(settings.extraJvmOptions()).containsExactly("-Da=1", "-Db=2");
        assertThat(settings.pluginsDir()).contains(Path.of("/plugins"));
        assertThat(settings.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isEqualTo(18080);
        assertThat(settings.stopGrace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.metricsPort()).isZero();
        assertThat(settings.metricsConfigDir()).isEqualTo(Path.of("/pv/metrics"));
        assertThat(settings.metricsExporterJar()).contains(Path.of("/image/exporter/agent.jar"));
    }

    @Test
    void everyMissingVariableIsNamed() {
        Map<String, String> env = podEnvironment();
        env.remove("POD_IP");
        env.put("CASSANDRA_AGENT_TOKEN", " ");

        assertThatThrownBy(() -> AgentSettings.fromEnvironment(env))
                .hasMessage("missing environment variables: POD_IP, CASSANDRA_AGENT_TOKEN");
    }
}
