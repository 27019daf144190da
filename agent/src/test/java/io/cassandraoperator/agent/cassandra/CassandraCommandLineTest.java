package io.cassandraoperator.agent.cassandra;

import io.cassandraoperator.agent.config.AgentSettings;
import io.cassandraoperator.agent.config.ConfigFiles;
import io.cassandraoperator.agent.metrics.MetricsExporter;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class CassandraCommandLineTest {

    private static final ConfigFiles CONFIG = new ConfigFiles(
            Path.of("/data/conf/cassandra.yaml"), Path.of("/data/conf/cassandra-rackdc.properties"),
            Path.of("/data/conf/logback.xml"));
    private static final JmxAccess JMX = new JmxAccess(41234, JmxAccess.USER, "pw",
            Path.of("/data/conf/jmx/jmxremote.password"), Path.of("/data/conf/jmx/jmxremote.access"));

    private static AgentSettings settings(List<String> extra, Optional<Path> plugins) {
        return new AgentSettings("c-dc1-r1-0", "10.244.0.5", "c", "dc1", "r1", Path.of("/members"), Path.of("/user"),
                Path.of("/data"), "512M", "token", "/opt/cassandra/lib/*", extra, plugins, "10.244.0.5", 8080,
                Duration.ofSeconds(60), 9500, Path.of("/metrics-config"), Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Test
    void startsCassandraDaemonInTheForegroundWithTheHeapAndConfigFiles() {
        List<String> command = CassandraCommandLine.build("/jdk/bin/java",
                settings(List.of("-Dcassandra.ring_delay_ms=3000"), Optional.empty()), CONFIG, JMX, Optional.empty(),
                Optional.empty());

        assertThat(command.get(0)).isEqualTo("/jdk/bin/java");
        assertThat(command).contains("-Xms512M", "-Xmx512M", "-Dcassandra-foreground=yes",
                "-Dcassandra.config=file:///data/conf/cassandra.yaml",
                "-Dcassandra-rackdc.properties=file:///data/conf/cassandra-rackdc.properties",
                "-Dcassandra.ring_delay_ms=3000");
        assertThat(command.subList(command.size() - 3, command.size()))
                .containsExactly("-cp", "/opt/cassandra/lib/*", CassandraCommandLine.MAIN_CLASS);
        assertThat(Collections.indexOfSubList(command, List.of("--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED")))
                .isNotNegative();
        assertThat(command).noneMatch(option -> option.startsWith("-Dcassandra.replace_address"));
    }

    @Test
    void jmxListensOnLoopbackOnlyAndNeedsThePassword() {
        List<String> command = CassandraCommandLine.build("java", settings(List.of(), Optional.empty()), CONFIG, JMX,
                Optional.empty(), Optional.empty());

        assertThat(command).contains("-Dcassandra.jmx.local.port=41234",
                "-Dcom.sun.management.jmxremote.authenticate=true",
                "-Dcom.sun.management.jmxremote.password.file=/data/conf/jmx/jmxremote.password",
                "-Dcom.sun.management.jmxremote.access.file=/data/conf/jmx/jmxremote.access");
        // cassandra.jmx.remote.port would bind every interface: never set.
        assertThat(command).noneMatch(option -> option.contains("jmx.remote.port") || option.contains("jmxremote.port"));
        assertThat(Collections.indexOfSubList(command,
                List.of("--add-exports", "java.management/com.sun.jmx.remote.security=ALL-UNNAMED"))).isNotNegative();
    }

    @Test
    void aReplacementStartsWithTheDeadMembersAddress() {
        List<String> command = CassandraCommandLine.build("java", settings(List.of(), Optional.empty()), CONFIG, JMX,
                Optional.of("10.96.0.12"), Optional.empty());

        assertThat(command).contains("-Dcassandra.replace_address_first_boot=10.96.0.12");
    }

    @Test
    void theMetricsExporterRunsAsAJavaAgentOnThePodIp() {
        MetricsExporter exporter = new MetricsExporter(Path.of("/image/exporter/jmx_prometheus_javaagent.jar"),
                "10.244.0.5", 9500, Path.of("/data/conf/jmx_exporter_config.yaml"));

        List<String> command = CassandraCommandLine.build("java", settings(List.of(), Optional.empty()), CONFIG, JMX,
                Optional.empty(), Optional.of(exporter));

        assertThat(command).contains("-javaagent:/image/exporter/jmx_prometheus_javaagent.jar"
                + "=10.244.0.5:9500:/data/conf/jmx_exporter_config.yaml");
        assertThat(command.indexOf(exporter.javaAgentOption())).isLessThan(command.indexOf("-cp"));
    }

    @Test
    void pluginJarsAreAppendedToCassandrasClasspath() {
        assertThat(CassandraCommandLine.classpath(settings(List.of(), Optional.of(Path.of("/plugins")))))
                .isEqualTo("/opt/cassandra/lib/*:/plugins/*");
    }
}
