package io.cassandraoperator.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Renders Cassandra's configuration into {@code $CASSANDRA_DATA_DIR/conf}, afresh at every start. */
public final class CassandraConfigDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(CassandraConfigDirectory.class);

    public static final String USER_CASSANDRA_YAML = "cassandra.yaml";

    private CassandraConfigDirectory() {
    }

    public static Path confDir(AgentSettings settings) {
        return settings.dataDir().resolve("conf");
    }

    /** The member's cassandra.yaml content: the operator's settings plus the rack's user overrides. */
    static String cassandraYaml(AgentSettings settings, String broadcastAddress, List<String> seeds) {
        ObjectNode yaml = CassandraYaml.desired(settings.clusterName(), settings.podIp(), broadcastAddress, seeds,
                settings.dataDir());
        if (settings.superuser().isPresent()) {
            CassandraYaml.passwordAuthentication(yaml);
        }
        Path userYaml = settings.userConfigDir().resolve(USER_CASSANDRA_YAML);
        if (Files.isRegularFile(userYaml)) {
            JsonNode overrides = CassandraYaml.parse(read(userYaml));
            List<String> ignored = CassandraYaml.mergeUserOverrides(yaml, overrides);
            LOG.info("Merged user overrides from {}", userYaml);
            if (!ignored.isEmpty()) {
                LOG.warn("Ignored user settings {} from {}: they fix the member's identity and data location, "
                        + "which the operator owns", ignored, userYaml);
            }
        }
        return CassandraYaml.write(yaml);
    }

    public static ConfigFiles write(AgentSettings settings, String broadcastAddress, List<String> seeds) {
        Path dir = confDir(settings);
        ConfigFiles files = new ConfigFiles(
                dir.resolve("cassandra.yaml"), dir.resolve("cassandra-rackdc.properties"), dir.resolve("logback.xml"));
        try {
            Files.createDirectories(dir);
            Files.writeString(files.cassandraYaml(), cassandraYaml(settings, broadcastAddress, seeds));
            Files.writeString(files.rackDcProperties(), RackDcProperties.render(settings.datacenter(), settings.rack()));
            try (InputStream logback = CassandraConfigDirectory.class.getResourceAsStream("/cassandra-logback.xml")) {
                Files.write(files.logbackXml(), logback.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write Cassandra's configuration into " + dir, e);
        }
        return files;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
