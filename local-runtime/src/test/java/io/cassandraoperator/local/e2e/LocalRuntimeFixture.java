package io.cassandraoperator.local.e2e;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.local.cli.CliProcess;
import io.cassandraoperator.local.cli.CliView;
import io.cassandraoperator.local.cli.SuperuserLogin;
import io.cassandraoperator.local.kubelet.RecordedProcess;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.apache.commons.io.file.PathUtils;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One local runtime driven through the real CLI, in its own state directory: {@code up}, the other commands, a client
 * from its kubeconfig, the superuser's CQL login, its logs. It remembers every process the runtime ran and, on
 * {@link #close()}, keeps the logs under target/e2e-logs/&lt;name&gt;/, runs {@code down --purge}, kills by PID whatever
 * is left and deletes the state directory.
 */
final class LocalRuntimeFixture implements AutoCloseable {
    static final String NAMESPACE = "default";
    private static final Duration UP_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration DOWN_TIMEOUT = Duration.ofMinutes(6);

    private final String name;
    private final Path project;
    /** A project copy this fixture made and deletes, or null when it runs on the build's project directory. */
    private final Path projectSnapshot;
    private final Path state;
    private final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();
    private KubernetesClient client;

    private LocalRuntimeFixture(String name, Path project, Path projectSnapshot) throws IOException {
        this.name = name;
        this.project = project;
        this.projectSnapshot = projectSnapshot;
        this.state = Files.createTempDirectory("cassandra-local-" + name + "-");
    }

    /** A runtime of the build's project directory (its examples, CRDs and agent image). */
    static LocalRuntimeFixture of(String name) throws IOException {
        return new LocalRuntimeFixture(name, CliProcess.PROJECT, null);
    }

    /** A runtime of a {@link ProjectSnapshot}, for a test that runs long enough to outlive a rebuild of the image. */
    static LocalRuntimeFixture ofProjectSnapshot(String name) throws IOException {
        Path snapshot = ProjectSnapshot.take();
        return new LocalRuntimeFixture(name, snapshot, snapshot);
    }

    /** The project directory the CLI runs with: manifests written here are next to its examples. */
    Path project() {
        return project;
    }

    Path kubeconfig() {
        return CliView.kubeconfig(state);
    }

    /** {@code up -f manifest}, waiting up to 15 minutes for the Cluster to be Ready. */
    CliProcess.Result up(Path manifest) throws IOException, InterruptedException {
        closeClient();
        return cli(UP_TIMEOUT.plusMinutes(1), "up", "-f", manifest.toString(), "--timeout", UP_TIMEOUT.toString());
    }

    /** {@code down}: every process stops, the data stays. */
    CliProcess.Result down() throws IOException, InterruptedException {
        closeClient();
        return cli(DOWN_TIMEOUT, "down");
    }

    /** Any {@code cassandra-local} command on this runtime; the processes it leaves running are remembered. */
    CliProcess.Result cli(Duration timeout, String... args) throws IOException, InterruptedException {
        try {
            return CliProcess.run(project, state, timeout, args);
        } finally {
            rememberProcesses();
        }
    }

    /** The client of the runtime that is up now; closed by {@link #up}, {@link #down} and {@link #close}. */
    KubernetesClient client() {
        if (client == null) {
            client = CliView.client(state);
        }
        return client;
    }

    String kubectl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    /** The contact points {@code up} prints for the cluster. */
    List<InetSocketAddress> contactPoints(Cluster cluster) {
        return CliView.contactPoints(cluster, client().services().inNamespace(NAMESPACE).list().getItems());
    }

    SuperuserLogin superuser(String cluster) {
        return SuperuserLogin.read(client(), NAMESPACE, cluster);
    }

    /** A session at QUORUM as the cluster's superuser, with timeouts for a machine busy with Cassandra JVMs. */
    CqlSession session(SuperuserLogin superuser, List<InetSocketAddress> contactPoints) {
        return superuser.session(() -> CqlSession.builder().addContactPoints(contactPoints).withLocalDatacenter("dc1")
                .withConfigLoader(driverConfig()));
    }

    /**
     * A session whose only coordinator is the member at that address: the driver ignores every other node it
     * discovers. With RF equal to the members, a read at ONE is then answered from that member's own replica (the
     * coordinator prefers itself), so a row it never received cannot be hidden by another replica or a read repair.
     */
    CqlSession sessionToMemberAlone(SuperuserLogin superuser, InetSocketAddress member) {
        return superuser.session(() -> CqlSession.builder().addContactPoint(member).withLocalDatacenter("dc1")
                .withNodeDistanceEvaluator((node, localDc) -> member.equals(node.getEndPoint().resolve()) ? null
                        : com.datastax.oss.driver.api.core.loadbalancing.NodeDistance.IGNORED)
                .withConfigLoader(driverConfig()));
    }

    private static DriverConfigLoader driverConfig() {
        return DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(30))
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(60))
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(30))
                .withString(DefaultDriverOption.REQUEST_CONSISTENCY, ConsistencyLevel.QUORUM.name())
                .build();
    }

    Path operatorLog() {
        return CliView.operatorLog(state);
    }

    /** The log of a pod's Cassandra container (its agent and Cassandra), kept until a new pod of that name starts. */
    Path cassandraLog(String pod) {
        return state.resolve("pods").resolve(NAMESPACE).resolve(pod).resolve("logs/cassandra.log");
    }

    /** The runtime's, the operator's and the containers' logs that contain {@code text}. */
    List<Path> logsContaining(String text) throws IOException {
        List<Path> logs = logs();
        assertThat(logs).as("the runtime's logs").isNotEmpty();
        List<Path> found = new ArrayList<>();
        for (Path log : logs) {
            if (Files.readString(log, StandardCharsets.ISO_8859_1).contains(text)) {
                found.add(log);
            }
        }
        return found;
    }

    /** The operator process the runtime runs now, if any. */
    Optional<ProcessHandle> operator() {
        return CliView.operator(state);
    }

    /**
     * A second operator in slot 2, started as the runtime starts its own but not restarted when it exits (a replica
     * whose pod is gone for good); the caller stops it by its PID. Its log is {@code logs/operator-2.log}.
     */
    ProcessHandle startSecondOperator() throws IOException {
        ProcessHandle second = CliView.startOperator(state, 2).toHandle();
        rememberProcesses();
        return second;
    }

    Path operatorLog(int slot) {
        return CliView.operatorLog(state, slot);
    }

    /** The running operator that holds the Lease, as {@code status} shows it. */
    Optional<ProcessHandle> leaderOperator() {
        return CliView.leader(state, client());
    }

    String leaseHolder() {
        return CliView.leaseHolder(client());
    }

    /** Every process of this runtime seen so far, whether it still runs or not. */
    Set<ProcessHandle> processesSeen() {
        return Set.copyOf(seen);
    }

    /** Remembers the runtime's processes now running (pods come and go between the CLI's commands). */
    void rememberProcesses() {
        Stream.concat(CliView.recordedProcesses(state).stream(), processesNamingTheStateDirectory().stream())
                .forEach(process -> {
                    seen.add(process);
                    process.descendants().forEach(seen::add);
                });
    }

    /** Processes whose command line names the state directory (Cassandra's configuration lives under it). */
    List<ProcessHandle> processesNamingTheStateDirectory() {
        String marker = state.toString();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                    .filter(p -> p.pid() != ProcessHandle.current().pid())
                    .toList();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            closeClient();
            keepLogs();
            rememberProcesses();
            cli(DOWN_TIMEOUT, "down", "--purge");
        } finally {
            rememberProcesses();
            seen.stream().filter(ProcessHandle::isAlive).forEach(RecordedProcess::killTree);
            processesNamingTheStateDirectory().forEach(RecordedProcess::killTree);
            deleteIfPresent(state);
            if (projectSnapshot != null) {
                deleteIfPresent(projectSnapshot);
            }
        }
        assertThat(seen).as("every process of the runtime is gone").noneMatch(ProcessHandle::isAlive);
    }

    /** The runtime's, the operator's and every container's log go to target/e2e-logs/&lt;name&gt;/, for a post-mortem. */
    private void keepLogs() throws IOException {
        Path target = CliProcess.MODULE.resolve("target/e2e-logs").resolve(name);
        deleteIfPresent(target);
        for (Path log : logs()) {
            Path copy = target.resolve(state.relativize(log));
            Files.createDirectories(copy.getParent());
            Files.copy(log, copy);
        }
    }

    private List<Path> logs() throws IOException {
        List<Path> logs = new ArrayList<>();
        for (String directory : List.of("logs", "pods")) {
            if (Files.isDirectory(state.resolve(directory))) {
                try (Stream<Path> files = Files.walk(state.resolve(directory))) {
                    files.filter(p -> p.toString().endsWith(".log")).forEach(logs::add);
                }
            }
        }
        return logs;
    }

    private void closeClient() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    private static void deleteIfPresent(Path directory) throws IOException {
        if (Files.exists(directory)) {
            PathUtils.deleteDirectory(directory);
        }
    }
}
