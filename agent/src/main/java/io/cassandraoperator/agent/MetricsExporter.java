package io.cassandraoperator.agent;

import io.cassandraoperator.api.Contract;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Prometheus JMX exporter, run as a Java agent inside Cassandra: it reads Cassandra's MBeans in-process (no
 * remote JMX) and serves them at {@code http://<pod IP>:<port>/metrics}.
 */
public record MetricsExporter(Path jar, String host, int port, Path config) {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsExporter.class);

    static final String DEFAULT_CONFIG_RESOURCE = "/jmx-exporter.yaml";
    /** The jar's name in the image's {@code exporter/} folder. */
    public static final String JAR_NAME = "jmx_prometheus_javaagent.jar";

    /** The JVM option that starts the exporter inside Cassandra. */
    public String javaAgentOption() {
        return "-javaagent:" + jar + "=" + host + ":" + port + ":" + config;
    }

    /**
     * The exporter for this member, its configuration written into {@code confDir}: the rack's own when its ConfigMap
     * is mounted, else the agent's default. Empty when turned off (port 0) or when the image has no exporter jar.
     */
    public static Optional<MetricsExporter> configure(AgentSettings settings, Path confDir) {
        if (settings.metricsPort() == 0) {
            LOG.info("Metrics exporter off ({} is 0)", Contract.Env.METRICS_PORT);
            return Optional.empty();
        }
        Path jar = settings.metricsExporterJar().orElseGet(MetricsExporter::jarBesideTheAgent);
        if (!Files.isRegularFile(jar)) {
            LOG.warn("No metrics exporter: {} is missing from the image; Cassandra runs without it", jar);
            return Optional.empty();
        }
        Path config = confDir.resolve(Contract.MetricsConfig.KEY);
        Optional<Path> userConfig = userConfig(settings.metricsConfigDir());
        try {
            Files.createDirectories(confDir);
            if (userConfig.isPresent()) {
                Files.copy(userConfig.get(), config, StandardCopyOption.REPLACE_EXISTING);
            } else {
                try (InputStream defaults = MetricsExporter.class.getResourceAsStream(DEFAULT_CONFIG_RESOURCE)) {
                    Files.copy(defaults, config, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the metrics exporter's configuration " + config, e);
        }
        LOG.info("Metrics on http://{}:{}/metrics, exporter configuration {}", settings.podIp(), settings.metricsPort(),
                userConfig.map(file -> "from " + file).orElse("(the agent's default)"));
        return Optional.of(new MetricsExporter(jar, settings.podIp(), settings.metricsPort(), config));
    }

    /**
     * The rack's exporter configuration in its mounted ConfigMap: the key {@value Contract.MetricsConfig#KEY}, or
     * the ConfigMap's only key whatever its name (a Rook-era ConfigMap may name it otherwise).
     */
    static Optional<Path> userConfig(Path dir) {
        Path named = dir.resolve(Contract.MetricsConfig.KEY);
        if (Files.isRegularFile(named)) {
            return Optional.of(named);
        }
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        // Kubernetes keeps a ConfigMap volume's real files under "..data" and friends: only visible keys count.
        try (Stream<Path> entries = Files.list(dir)) {
            List<Path> keys = entries.filter(file -> !file.getFileName().toString().startsWith("."))
                    .filter(Files::isRegularFile).toList();
            return keys.size() == 1 ? Optional.of(keys.get(0)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code <image>/exporter/} next to {@code <image>/agent/}, the folder of the agent's own jar. */
    private static Path jarBesideTheAgent() {
        try {
            Path agentJar = Path.of(MetricsExporter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return agentJar.getParent().resolveSibling("exporter").resolve(JAR_NAME);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
