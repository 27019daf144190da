package io.cassandraoperator.agent.config;

import io.cassandraoperator.api.Contract;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options of the rack's ConfigMap (key {@link Contract.UserConfig#JVM_OPTIONS}): one per line, blank lines and
 * {@code #} comments skipped, as Cassandra's own jvm-server.options. Options that would take JMX, the configuration
 * files or the data location from the agent are left out with a warning: the agent's access to Cassandra and the
 * member's identity depend on them.
 */
public final class UserJvmOptions {
    private static final Logger LOG = LoggerFactory.getLogger(UserJvmOptions.class);
    static final List<String> AGENT_OWNED_PREFIXES = List.of("-Dcom.sun.management.jmxremote", "-Dcassandra.jmx",
            "-Dcassandra.config=", "-Dcassandra-rackdc.properties=", "-Dcassandra.storagedir=",
            "-Dcassandra.replace_address", "-Dcassandra-foreground", "-Dlogback.configurationFile=", "-javaagent:");

    private UserJvmOptions() {
    }

    /** The accepted options from {@code userConfigDir}, in file order; empty without the key. */
    public static List<String> read(Path userConfigDir) {
        Path file = userConfigDir.resolve(Contract.UserConfig.JVM_OPTIONS);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the rack's JVM options " + file, e);
        }
    }

    static List<String> parse(String text, String source) {
        List<String> accepted = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (String line : text.split("\n")) {
            String option = line.strip();
            if (option.isEmpty() || option.startsWith("#")) {
                continue;
            }
            if (AGENT_OWNED_PREFIXES.stream().anyMatch(option::startsWith)) {
                ignored.add(option);
            } else {
                accepted.add(option);
            }
        }
        if (!accepted.isEmpty()) {
            LOG.info("JVM options from {}: {}", source, accepted);
        }
        if (!ignored.isEmpty()) {
            LOG.warn("Ignored JVM options {} from {}: the agent owns JMX, the configuration files and the data location", ignored, source);
        }
        return List.copyOf(accepted);
    }
}
