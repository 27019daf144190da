package io.cassandraoperator.agent.config;

import io.cassandraoperator.api.Contract;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's environment: the pod template's variables ({@link Contract.Env}) and the image's own
 * ({@code CASSANDRA_CLASSPATH} and friends).
 */
public record AgentSettings(
        String podName,
        String podIp,
        String clusterName,
        String datacenter,
        String rack,
        Path membersDir,
        Path userConfigDir,
        Path dataDir,
        String maxHeap,
        String agentToken,
        String cassandraClasspath,
        List<String> extraJvmOptions,
        Optional<Path> pluginsDir,
        String bindAddress,
        int port,
        Duration stopGrace,
        int metricsPort,
        Path metricsConfigDir,
        Optional<Path> metricsExporterJar,
        Optional<SuperuserCredentials> superuser,
        Optional<MemberTls> tls) {

    public static final String CASSANDRA_CLASSPATH = "CASSANDRA_CLASSPATH";
    public static final String CASSANDRA_EXTRA_JVM_OPTS = "CASSANDRA_EXTRA_JVM_OPTS";
    public static final String CASSANDRA_PLUGINS_DIR = "CASSANDRA_PLUGINS_DIR";
    public static final String AGENT_BIND_ADDRESS = "AGENT_BIND_ADDRESS";
    public static final String AGENT_PORT = "AGENT_PORT";
    public static final String CASSANDRA_STOP_GRACE_SECONDS = "CASSANDRA_STOP_GRACE_SECONDS";
    /** The exporter's Java agent jar; default {@code exporter/jmx_prometheus_javaagent.jar} of the image. */
    public static final String CASSANDRA_METRICS_EXPORTER_JAR = "CASSANDRA_METRICS_EXPORTER_JAR";

    private static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(60);

    public AgentSettings {
        extraJvmOptions = List.copyOf(extraJvmOptions);
    }

    /** Reads the settings, naming every missing required variable at once so a broken pod template is fixed in one go. */
    public static AgentSettings fromEnvironment(Map<String, String> env) {
        List<String> missing = new ArrayList<>();
        Map<String, String> required = new java.util.LinkedHashMap<>();
        for (String name : List.of(Contract.Env.POD_NAME, Contract.Env.POD_IP, Contract.Env.CLUSTER_NAME,
                Contract.Env.DATACENTER, Contract.Env.RACK, Contract.Env.MEMBERS_DIR, Contract.Env.USER_CONFIG_DIR,
                Contract.Env.DATA_DIR, Contract.Env.MAX_HEAP, Contract.Env.AGENT_TOKEN, CASSANDRA_CLASSPATH)) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                missing.add(name);
            } else {
                required.put(name, value.trim());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("missing environment variables: " + String.join(", ", missing));
        }
        String podIp = required.get(Contract.Env.POD_IP);
        return new AgentSettings(
                required.get(Contract.Env.POD_NAME),
                podIp,
                required.get(Contract.Env.CLUSTER_NAME),
                required.get(Contract.Env.DATACENTER),
                required.get(Contract.Env.RACK),
                Path.of(required.get(Contract.Env.MEMBERS_DIR)),
                Path.of(required.get(Contract.Env.USER_CONFIG_DIR)),
                Path.of(required.get(Contract.Env.DATA_DIR)),
                required.get(Contract.Env.MAX_HEAP),
                required.get(Contract.Env.AGENT_TOKEN),
                required.get(CASSANDRA_CLASSPATH),
                splitOptions(env.get(CASSANDRA_EXTRA_JVM_OPTS)),
                optional(env, CASSANDRA_PLUGINS_DIR).map(Path::of),
                optional(env, AGENT_BIND_ADDRESS).orElse(podIp),
                optional(env, AGENT_PORT).map(Integer::parseInt).orElse(Contract.Ports.AGENT),
                optional(env, CASSANDRA_STOP_GRACE_SECONDS).map(Long::parseLong).map(Duration::ofSeconds)
                        .orElse(DEFAULT_STOP_GRACE),
                optional(env, Contract.Env.METRICS_PORT).map(Integer::parseInt).orElse(Contract.Ports.METRICS),
                Path.of(optional(env, Contract.Env.METRICS_CONFIG_DIR).orElse(Contract.Paths.METRICS_CONFIG)),
                optional(env, CASSANDRA_METRICS_EXPORTER_JAR).map(Path::of),
                SuperuserCredentials.fromEnvironment(env),
                MemberTls.fromEnvironment(env, required.get(Contract.Env.POD_NAME)));
    }

    private static Optional<String> optional(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(value -> !value.isEmpty());
    }

    private static List<String> splitOptions(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.trim().split("\\s+")).toList();
    }
}
