package io.cassandraoperator.agent.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cassandraoperator.agent.config.AgentSettings;
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
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * The Prometheus JMX exporter, run as a Java agent inside Cassandra: it reads Cassandra's MBeans in-process (no
 * remote JMX) and serves them at {@code http://<pod IP>:<port>/metrics}.
 */
public record MetricsExporter(Path jar, String host, int port, Path config) {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsExporter.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static final String DEFAULT_CONFIG_RESOURCE = "/jmx-exporter.yaml";
    /** The jar's name in the image's {@code exporter/} folder. */
    static final String JAR_NAME = "jmx_prometheus_javaagent.jar";

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
        Optional<Path> userConfig = userConfig(settings.metricsConfigDir()).filter(MetricsExporter::usable);
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

    /**
     * Whether the exporter can start with this configuration: a YAML mapping whose rules' patterns are regular
     * expressions. The exporter runs inside Cassandra's JVM, and a configuration it cannot load stops that JVM from
     * starting: a typo in a metrics ConfigMap must not keep a database member down, so such a file is refused with
     * an error in the log and the default is used instead.
     */
    static boolean usable(Path file) {
        String problem = configProblem(file);
        if (problem != null) {
            LOG.error("Ignoring the metrics exporter configuration {}: {}; using the agent's default", file, problem);
        }
        return problem == null;
    }

    /** Null when the exporter can load the file, else what is wrong with it. */
    static String configProblem(Path file) {
        JsonNode config;
        try {
            config = YAML.readTree(file.toFile());
        } catch (IOException e) {
            return "not readable as YAML (" + e.getMessage() + ")";
        }
        if (!config.isObject()) {
            return "not a YAML mapping";
        }
        JsonNode rules = config.path("rules");
        if (!rules.isMissingNode() && !rules.isArray()) {
            return "rules is not a list";
        }
        for (JsonNode rule : rules) {
            JsonNode pattern = rule.path("pattern");
            if (pattern.isTextual()) {
                try {
                    Pattern.compile(pattern.asText());
                } catch (PatternSyntaxException e) {
                    return "the rule pattern " + pattern.asText() + " is not a regular expression (" + e.getDescription()
                            + ")";
                }
            }
        }
        return null;
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
