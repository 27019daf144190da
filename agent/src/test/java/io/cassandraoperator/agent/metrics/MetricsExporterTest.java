package io.cassandraoperator.agent.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cassandraoperator.agent.config.AgentSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsExporterTest {

    @TempDir
    Path dir;

    private AgentSettings settings(int port, Path configDir, Path jar) {
        return new AgentSettings("c-dc1-r1-0", "10.244.0.5", "c", "dc1", "r1", dir.resolve("members"),
                dir.resolve("user"), dir.resolve("data"), "512M", "token", "/opt/cassandra/lib/*", List.of(),
                Optional.empty(), "10.244.0.5", 8080, Duration.ofSeconds(60), port, configDir, Optional.of(jar),
                Optional.empty(), Optional.empty());
    }

    @Test
    void theDefaultConfigurationReadsOnlyCassandrasUsefulMBeans() throws Exception {
        Path jar = Files.createFile(dir.resolve(MetricsExporter.JAR_NAME));

        MetricsExporter exporter = MetricsExporter.configure(settings(9500, dir.resolve("none"), jar),
                dir.resolve("conf")).orElseThrow();

        assertThat(exporter).isEqualTo(new MetricsExporter(jar, "10.244.0.5", 9500,
                dir.resolve("conf").resolve("jmx_exporter_config.yaml")));
        JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(exporter.config().toFile());
        assertThat(config.get("includeObjectNames")).extracting(JsonNode::asText)
                .contains("org.apache.cassandra.metrics:type=ClientRequest,*",
                        "org.apache.cassandra.metrics:type=Storage,*",
                        "org.apache.cassandra.metrics:type=Compaction,*",
                        "org.apache.cassandra.metrics:type=ThreadPools,*");
        assertThat(config.get("rules")).isNotEmpty();
        assertThat(MetricsExporter.configProblem(exporter.config())).isNull();
    }

    @Test
    void theRacksConfigMapReplacesTheDefault() throws Exception {
        Path jar = Files.createFile(dir.resolve(MetricsExporter.JAR_NAME));
        Path mounted = Files.createDirectories(dir.resolve("metrics"));
        Files.writeString(mounted.resolve("jmx_exporter_config.yaml"), "rules:\n  - pattern: '.*'\n");

        MetricsExporter exporter = MetricsExporter.configure(settings(9600, mounted, jar), dir.resolve("conf"))
                .orElseThrow();

        assertThat(exporter.port()).isEqualTo(9600);
        assertThat(Files.readString(exporter.config())).isEqualTo("rules:\n  - pattern: '.*'\n");
    }

    @Test
    void aConfigMapWithOneKeyOfAnotherNameIsUsedAndKubernetesHiddenFilesAreIgnored() throws Exception {
        Path mounted = Files.createDirectories(dir.resolve("metrics"));
        Files.createDirectories(mounted.resolve("..data"));
        Files.writeString(mounted.resolve("..hidden"), "x");
        Files.writeString(mounted.resolve("cassandra.yml"), "rules: []\n");

        assertThat(MetricsExporter.userConfig(mounted)).contains(mounted.resolve("cassandra.yml"));

        Files.writeString(mounted.resolve("other.yml"), "rules: []\n");
        assertThat(MetricsExporter.userConfig(mounted)).isEmpty();
    }

    @Test
    void aConfigurationTheExporterCouldNotLoadIsRefusedForTheDefault() throws Exception {
        Path jar = Files.createFile(dir.resolve(MetricsExporter.JAR_NAME));
        Path mounted = Files.createDirectories(dir.resolve("metrics"));
        Path file = mounted.resolve("jmx_exporter_config.yaml");

        Files.writeString(file, "rules:\n  - pattern: 'org.apache.cassandra.metrics<type=(Storage'\n");
        assertThat(MetricsExporter.configProblem(file)).startsWith("the rule pattern ");
        MetricsExporter exporter = MetricsExporter.configure(settings(9500, mounted, jar), dir.resolve("conf"))
                .orElseThrow();
        assertThat(Files.readString(exporter.config())).contains("includeObjectNames");

        Files.writeString(file, "rules: {pattern: x}\n");
        assertThat(MetricsExporter.configProblem(file)).isEqualTo("rules is not a list");
        Files.writeString(file, "- just\n- a list\n");
        assertThat(MetricsExporter.configProblem(file)).isEqualTo("not a YAML mapping");
        Files.writeString(file, "rules: [\n");
        assertThat(MetricsExporter.configProblem(file)).startsWith("not readable as YAML");
        Files.writeString(file, "lowercaseOutputName: true\nrules:\n  - pattern: 'java.lang<.*>.*'\n");
        assertThat(MetricsExporter.configProblem(file)).isNull();
    }

    @Test
    void offWithPortZeroOrWithoutTheJar() {
        assertThat(MetricsExporter.configure(settings(0, dir, dir.resolve("absent.jar")), dir.resolve("conf")))
                .isEmpty();
        assertThat(MetricsExporter.configure(settings(9500, dir, dir.resolve("absent.jar")), dir.resolve("conf")))
                .isEmpty();
    }
}
