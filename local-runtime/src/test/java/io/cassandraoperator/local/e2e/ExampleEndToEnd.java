package io.cassandraoperator.local.e2e;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.RackSpec;
import io.cassandraoperator.local.cli.CliProcess;
import io.cassandraoperator.local.cli.CliView;
import io.cassandraoperator.local.cli.SuperuserLogin;
import io.cassandraoperator.local.kubelet.RecordedProcess;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One example brought up with the real CLI, real Cassandra, the real operator and agent: the members form one ring,
 * a driver client writes and reads 10,000 rows at QUORUM through the member Services' ClusterIPs, kubectl shows the
 * Cluster ready, {@code down} leaves no process behind and {@code up} brings the same members back with their data.
 * Subclasses name the example; each shares one runtime across its steps (a Cassandra node costs ~1 GB and ~20 s).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ExampleEndToEnd {
    private static final int ROWS = 10_000;
    private static final Duration UP_TIMEOUT = Duration.ofMinutes(15);

    private final String example;
    private final Path state;
    private final Set<ProcessHandle> seen = new HashSet<>();

    ExampleEndToEnd(String example) {
        this.example = example;
        try {
            this.state = Files.createTempDirectory("cassandra-local-e2e-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void upFormsOneRingServesQuorumAndComesBackWithItsDataAfterDown() throws Exception {
        Path manifest = CliProcess.PROJECT.resolve("examples").resolve(example);
        long started = System.nanoTime();
        CliProcess.Result up = CliProcess.run(state, UP_TIMEOUT.plusMinutes(1), "up", "-f", manifest.toString(),
                "--timeout", UP_TIMEOUT.toString());
        long upSeconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        rememberProcesses();
        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output()).contains("ready: ", "CQL (", state.resolve("kubeconfig").toString());
        System.out.printf("MEASURED %s: up to Ready with %d members in %d s%n", example, 3, upSeconds);

        List<InetSocketAddress> contactPoints;
        Set<String> racks;
        SuperuserLogin superuser;
        String clusterName;
        String memberIp;
        try (KubernetesClient client = CliView.client(state)) {
            Cluster cluster = client.resources(Cluster.class).inNamespace("default").list().getItems().get(0);
            assertThat(cluster.getStatus().getReadyMembers()).isEqualTo(3);
            racks = cluster.getSpec().getDatacenter().getRacks().stream().map(RackSpec::getName)
                    .collect(Collectors.toSet());
            assertThat(kubectl("get", "clusters", cluster.getMetadata().getName(),
                    "-o", "jsonpath={.status.readyMembers}/{.status.members}")).isEqualTo("3/3");
            assertThat(kubectl("get", "clusters")).contains(cluster.getMetadata().getName());

            String token = new String(Base64.getDecoder().decode(client.secrets().inNamespace("default")
                    .withName(cluster.getMetadata().getName() + Contract.AgentSecret.SUFFIX).get().getData()
                    .get(Contract.AgentSecret.TOKEN)), StandardCharsets.UTF_8);
            clusterName = cluster.getMetadata().getName();
            superuser = SuperuserLogin.read(client, "default", clusterName);
            assertThat(up.output()).as("how to log in, without the password").contains("login:          user " + superuser.username()
                    + ", password: kubectl get secret " + clusterName + "-superuser -n default -o jsonpath='{.data.password}' | base64 -d");
            List<Pod> pods = client.pods().inNamespace("default")
                    .withLabel(Contract.Labels.CLUSTER, cluster.getMetadata().getName()).list().getItems();
            assertThat(pods).hasSize(3);
            memberIp = pods.get(0).getStatus().getPodIP();
            for (Pod pod : pods) {
                // Gossip is eventually consistent: each node's view may lag its readiness by a moment.
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                    JsonNode node = agentNode(pod.getStatus().getPodIP(), token);
                    assertThat(node.path("operationMode").asText()).as(pod.getMetadata().getName()).isEqualTo("NORMAL");
                    assertThat(node.path("liveNodes")).as(node.toString()).hasSize(3);
                    assertThat(node.path("unreachableNodes")).as(node.toString()).isEmpty();
                    assertThat(node.path("joiningNodes")).as(node.toString()).isEmpty();
                    assertThat(node.path("leavingNodes")).as(node.toString()).isEmpty();
                });
            }
            contactPoints = CliView.contactPoints(cluster, client.services().inNamespace("default").list()
                    .getItems());
        }
        assertThat(contactPoints).hasSize(3);

        SuperuserLogin.assertOnlyCredentialsLogIn(contactPoints);
        try (CqlSession session = session(contactPoints, superuser)) {
            // The agents raise it as members join (min(3, members)), so losing one member locks no role out.
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(
                    session.execute("SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = 'system_auth'")
                            .one().getMap("replication", String.class, String.class))
                    .containsEntry("dc1", "3").hasEntrySatisfying("class", c -> assertThat(c).endsWith("NetworkTopologyStrategy")));
            List<Node> nodes = List.copyOf(session.getMetadata().getNodes().values());
            assertThat(nodes).hasSize(3).allSatisfy(node -> assertThat(node.getState()).isEqualTo(NodeState.UP));
            assertThat(nodes.stream().map(node -> node.getBroadcastRpcAddress().orElseThrow()).collect(Collectors.toSet()))
                    .as("members are reached at their sticky ClusterIPs").containsExactlyInAnyOrderElementsOf(contactPoints);
            assertThat(nodes.stream().map(Node::getRack).collect(Collectors.toSet())).as("the ring's racks")
                    .isEqualTo(racks);
            assertThat(nodes.stream().map(Node::getDatacenter).collect(Collectors.toSet())).containsExactly("dc1");
            session.execute("CREATE KEYSPACE e2e WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3}");
            session.execute("CREATE TABLE e2e.rows (id int PRIMARY KEY, value text)");
            assertThat(session.checkSchemaAgreement()).isTrue();
            write(session);
            assertAllRowsRead(session);
        }
        assertMetricsScraped(clusterName, memberIp);
        assertThat(up.output()).doesNotContain(superuser.password());
        assertThat(logsContaining(superuser.password())).as("the password is never logged").isEmpty();

        rememberProcesses();
        assertThat(seen).isNotEmpty();
        CliProcess.Result down = CliProcess.run(state, Duration.ofMinutes(6), "down");
        assertThat(down.exitCode()).as(down.output()).isZero();
        assertThat(seen).as("every process of the runtime is gone after down").noneMatch(ProcessHandle::isAlive);
        assertThat(processesOfThisRuntime()).isEmpty();

        CliProcess.Result again = CliProcess.run(state, UP_TIMEOUT.plusMinutes(1), "up", "-f", manifest.toString(),
                "--timeout", UP_TIMEOUT.toString());
        rememberProcesses();
        assertThat(again.exitCode()).as(again.output()).isZero();
        try (KubernetesClient client = CliView.client(state)) {
            Cluster cluster = client.resources(Cluster.class).inNamespace("default").list().getItems().get(0);
            List<InetSocketAddress> after = CliView.contactPoints(cluster, client.services()
                    .inNamespace("default").list().getItems());
            assertThat(after).as("members keep their ClusterIPs across down/up").isEqualTo(contactPoints);
        }
        try (CqlSession session = session(contactPoints, superuser)) {
            assertAllRowsRead(session);
        }
    }

    @AfterAll
    void downAndPurge() throws Exception {
        try {
            keepLogs();
            CliProcess.run(state, Duration.ofMinutes(6), "down", "--purge");
        } finally {
            rememberProcesses();
            seen.stream().filter(ProcessHandle::isAlive).forEach(RecordedProcess::killTree);
            processesOfThisRuntime().forEach(RecordedProcess::killTree);
            deleteTree(state);
        }
        assertThat(seen).noneMatch(ProcessHandle::isAlive);
    }

    /** The runtime's, the operator's and every container's log go to target/e2e-logs/<example>/, for a post-mortem. */
    private void keepLogs() throws IOException {
        Path target = CliProcess.MODULE.resolve("target/e2e-logs").resolve(example);
        deleteTree(target);
        if (!Files.isDirectory(state.resolve("logs")) || !Files.isDirectory(state.resolve("pods"))) {
            return;
        }
        try (Stream<Path> files = Stream.concat(Files.walk(state.resolve("logs")), Files.walk(state.resolve("pods")))) {
            for (Path log : files.filter(p -> p.toString().endsWith(".log")).toList()) {
                Path copy = target.resolve(state.relativize(log));
                Files.createDirectories(copy.getParent());
                Files.copy(log, copy);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    /** Every recorded process of the state directory and all their descendants (Cassandra runs under its agent). */
    private void rememberProcesses() {
        for (ProcessHandle process : CliView.recordedProcesses(state)) {
            seen.add(process);
            process.descendants().forEach(seen::add);
        }
    }

    /** Processes whose command line names this runtime's state directory (Cassandra's config lives under it). */
    private List<ProcessHandle> processesOfThisRuntime() {
        String marker = state.toString();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                    .filter(p -> p.pid() != ProcessHandle.current().pid())
                    .toList();
        }
    }

    private String kubectl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", state.resolve("kubeconfig").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    /** The agent's view of its node; a failed request is an assertion failure, so that the caller may retry it. */
    private static JsonNode agentNode(String podIP, String token) throws IOException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://" + podIP + ":" + Contract.Ports.AGENT + Contract.AgentApi.NODE))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + Contract.AgentApi.NODE + " on " + podIP + " failed: " + e, e);
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }

    /**
     * The operator's Prometheus endpoint (its port, random on the local runtime, is in its log) and one member's
     * Cassandra exporter on the pod IP: real series with values, not just a 200.
     */
    private void assertMetricsScraped(String clusterName, String memberIp) throws Exception {
        String operatorAddress = operatorMetricsAddress();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(3)).untilAsserted(() -> {
            List<String> samples = scrape("http://" + operatorAddress + "/metrics");
            assertThat(samples).as("the members gauge, refreshed every 15 s")
                    .contains("cassandra_operator_members{cluster=\"" + clusterName + "\",namespace=\"default\",state=\"ready\"} 3.0");
            assertThat(samples).as("JOSDK's reconcile counter").anySatisfy(line -> {
                assertThat(line).startsWith("operator_sdk_reconciliations_success_total{");
                assertThat(sampleValue(line)).isPositive();
            });
            assertThat(samples).anySatisfy(line -> assertThat(line).startsWith("cassandra_operator_events_total{"));
        });
        List<String> member = scrape("http://" + memberIp + ":" + Contract.Ports.METRICS + "/metrics");
        assertThat(member).anySatisfy(line -> {
            assertThat(line).startsWith("cassandra_storage_load ");
            assertThat(sampleValue(line)).as("bytes on disk after 10,000 rows").isPositive();
        });
        assertThat(member).as("this member coordinated some of the writes").anySatisfy(line -> {
            assertThat(line).startsWith("cassandra_client_request_latency_count{operation=\"Write\"}");
            assertThat(sampleValue(line)).isPositive();
        });
    }

    /** The runtime's, the operator's and the containers' logs that contain {@code text}. */
    private List<Path> logsContaining(String text) throws IOException {
        try (Stream<Path> files = Stream.concat(Files.walk(state.resolve("logs")), Files.walk(state.resolve("pods")))) {
            List<Path> found = new ArrayList<>();
            for (Path log : files.filter(p -> p.toString().endsWith(".log")).toList()) {
                if (Files.readString(log, StandardCharsets.ISO_8859_1).contains(text)) {
                    found.add(log);
                }
            }
            return found;
        }
    }

    /** {@code host:port} from the operator's last "Probes and metrics on" log line. */
    private String operatorMetricsAddress() throws IOException {
        String marker = "Probes and metrics on ";
        List<String> lines = Files.readAllLines(state.resolve("logs/operator.log")).stream().filter(l -> l.contains(marker)).toList();
        assertThat(lines).as("the operator logs where it serves metrics").isNotEmpty();
        String line = lines.get(lines.size() - 1);
        return line.substring(line.indexOf(marker) + marker.length()).split(" ")[0];
    }

    private static List<String> scrape(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body().lines().filter(line -> !line.startsWith("#")).toList();
    }

    private static double sampleValue(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    private static CqlSession session(List<InetSocketAddress> contactPoints, SuperuserLogin superuser) {
        return superuser.session(() -> builder(contactPoints));
    }

    private static CqlSessionBuilder builder(List<InetSocketAddress> contactPoints) {
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(30))
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(60))
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(30))
                .withString(DefaultDriverOption.REQUEST_CONSISTENCY, ConsistencyLevel.QUORUM.name())
                .build();
        return CqlSession.builder().addContactPoints(contactPoints).withLocalDatacenter("dc1")
                .withConfigLoader(config);
    }

    private static void write(CqlSession session) throws InterruptedException {
        PreparedStatement insert = session.prepare("INSERT INTO e2e.rows (id, value) VALUES (?, ?)");
        Semaphore inFlight = new Semaphore(64);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int id = 0; id < ROWS && failure.get() == null; id++) {
            inFlight.acquire();
            CompletionStage<?> write = session.executeAsync(insert.bind(id, "value-" + id)
                    .setConsistencyLevel(ConsistencyLevel.QUORUM));
            write.whenComplete((result, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
                inFlight.release();
            });
        }
        inFlight.acquire(64);
        assertThat(failure.get()).isNull();
    }

    private static void assertAllRowsRead(CqlSession session) {
        int count = 0;
        for (Row row : session.execute(SimpleStatement.newInstance("SELECT id, value FROM e2e.rows")
                .setConsistencyLevel(ConsistencyLevel.QUORUM).setPageSize(1000))) {
            assertThat(row.getString("value")).isEqualTo("value-" + row.getInt("id"));
            count++;
        }
        assertThat(count).isEqualTo(ROWS);
    }
}
