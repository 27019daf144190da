package io.cassandraoperator.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The agent's own directory for what it renders at every start: Cassandra's configuration, the JMX password and access
 * files, the metrics exporter's configuration. Not on the data volume: a volume wiped under a running Cassandra must
 * not take the agent's JMX access with it (the JDK reads the password file at every JMX login), and nothing here is a
 * fact about the data. A fresh owner-only directory under {@code java.io.tmpdir} per agent start: on Kubernetes that
 * is the pod's own {@code /tmp} emptyDir (the root filesystem is read-only); on the local runtime every pod shares the
 * machine's {@code /tmp}, and a directory of its own per start keeps one pod's files from another's.
 */
public final class CassandraConfigDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(CassandraConfigDirectory.class);

    public static final String USER_CASSANDRA_YAML = io.cassandraoperator.api.Contract.UserConfig.CASSANDRA_YAML;
    static final String KEYSTORE = "keystore.pem";
    static final String TRUSTSTORE = "truststore.pem";

    private final Path dir;

    private CassandraConfigDirectory(Path dir) {
        this.dir = dir;
    }

    /** Creates this start's directory under {@code parent} (the JVM's temporary directory in the agent). */
    public static CassandraConfigDirectory create(Path parent, String podName) {
        try {
            Files.createDirectories(parent);
            return new CassandraConfigDirectory(Files.createTempDirectory(parent, "cassandra-agent-" + podName + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the agent's configuration directory under " + parent, e);
        }
    }

    public Path path() {
        return dir;
    }

    public Path jmxDir() {
        return dir.resolve("jmx");
    }

    /** Cassandra's keystore and truststore, copied from the mounted Secret (which the kubelet may swap at any time). */
    public Path tlsDir() {
        return dir.resolve("tls");
    }

    /** Writes Cassandra's keystore and truststore from the Secret as mounted now. */
    public void writeTls(MemberTls tls) {
        try {
            Files.createDirectories(tlsDir());
            Files.writeString(tlsDir().resolve(KEYSTORE), tls.keystorePem());
            Files.writeString(tlsDir().resolve(TRUSTSTORE), tls.truststorePem());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the member's keystore into " + tlsDir(), e);
        }
    }

    /** Removes the directory when the agent stops; the next start renders everything afresh anyway. */
    public void delete() {
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.warn("Could not remove {}: {}", dir, e.getMessage());
        }
    }

    /** The member's cassandra.yaml content: the operator's settings plus the rack's user overrides. */
    static String cassandraYaml(AgentSettings settings, String broadcastAddress, List<String> seeds) {
        return cassandraYaml(settings, broadcastAddress, seeds, Optional.empty(), Path.of("tls"));
    }

    /** @param loopbackCql where CQL listens instead of the pod's address, for a founding start ({@link FoundingStart}) */
    static String cassandraYaml(AgentSettings settings, String broadcastAddress, List<String> seeds,
                                Optional<InetSocketAddress> loopbackCql, Path tlsDir) {
        ObjectNode yaml = CassandraYaml.desired(settings.clusterName(), settings.podIp(), broadcastAddress, seeds,
                settings.dataDir());
        if (settings.superuser().isPresent()) {
            CassandraYaml.passwordAuthentication(yaml);
        }
        settings.tls().ifPresent(tls -> CassandraYaml.encryption(yaml, tlsDir.resolve(KEYSTORE), tlsDir.resolve(TRUSTSTORE),
                tls.clientOptional()));
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
        loopbackCql.ifPresent(cql -> CassandraYaml.nativeTransportOnly(yaml, cql));
        return CassandraYaml.write(yaml);
    }

    public ConfigFiles write(AgentSettings settings, String broadcastAddress, List<String> seeds,
                             Optional<InetSocketAddress> loopbackCql) {
        ConfigFiles files = new ConfigFiles(
                dir.resolve("cassandra.yaml"), dir.resolve("cassandra-rackdc.properties"), dir.resolve("logback.xml"));
        try {
            Files.createDirectories(dir);
            settings.tls().ifPresent(this::writeTls);
            Files.writeString(files.cassandraYaml(), cassandraYaml(settings, broadcastAddress, seeds, loopbackCql, tlsDir()));
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
