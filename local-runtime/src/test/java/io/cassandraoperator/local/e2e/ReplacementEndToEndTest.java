package io.cassandraoperator.local.e2e;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.local.cli.CliProcess;
import io.cassandraoperator.local.cli.CliView;
import io.cassandraoperator.local.cli.SuperuserLogin;
import io.cassandraoperator.local.kubelet.RecordedProcess;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
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
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 7 end to end, real Cassandra (RF=3) under the real operator and agent on the local runtime: 10,000 rows written
 * at QUORUM; the node holding a member is deleted, and the operator replaces the member on another node under its
 * ClusterIP; then another member's disk is wiped and its pod restarted (Cassandra refuses to start: its address is in
 * the ring), its agent exits with {@link Contract.AgentExit#VOLUME_LOST}, and the operator replaces it without anyone
 * labelling anything. After each,
 * the ring has 3 UN nodes at the same addresses and every row reads back at ALL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplacementEndToEndTest {
    private static final int ROWS = 10_000;
    private static final Duration UP_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration REPLACE_TIMEOUT = Duration.ofMinutes(10);
    private static final String CAUSE = "cassandra.rook.io/replace-cause";

    private final Path state;
    private final Set<ProcessHandle> seen = new HashSet<>();

    ReplacementEndToEndTest() throws IOException {
        state = Files.createTempDirectory("cassandra-local-replace-");
    }

    @Test
    void lostNodeAndWipedDiskAreReplacedKeepingAddressesAndEveryRow() throws Exception {
        CliProcess.Result up = CliProcess.run(state, UP_TIMEOUT.plusMinutes(1), "up", "-f",
                CliProcess.PROJECT.resolve("examples/cluster.yaml").toString(), "--timeout", UP_TIMEOUT.toString());
        rememberProcesses();
        assertThat(up.exitCode()).as(up.output()).isZero();

        try (KubernetesClient client = CliView.client(state)) {
            Cluster cluster = client.resources(Cluster.class).inNamespace("default").list().getItems().get(0);
            String name = cluster.getMetadata().getName();
            String prefix = name + "-dc1-" + cluster.getSpec().getDatacenter().getRacks().get(0).getName() + "-";
            String token = new String(Base64.getDecoder().decode(client.secrets().inNamespace("default")
                    .withName(name + Contract.AgentSecret.SUFFIX).get().getData().get(Contract.AgentSecret.TOKEN)), StandardCharsets.UTF_8);
            List<InetSocketAddress> contactPoints = CliView.contactPoints(cluster, client.services().inNamespace("default")
                    .list().getItems());
            Set<String> addresses = contactPoints.stream().map(a -> a.getAddress().getHostAddress()).collect(Collectors.toSet());
            SuperuserLogin superuser = SuperuserLogin.read(client, "default", name);
            try (CqlSession session = session(contactPoints, superuser)) {
                session.execute("CREATE KEYSPACE IF NOT EXISTS e2e WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3}");
                session.execute("CREATE TABLE IF NOT EXISTS e2e.rows (id int PRIMARY KEY, value text)");
                assertThat(session.checkSchemaAgreement()).isTrue();
                write(session);
            }

            // A lost node: its pod and disk go; the operator sees the claim's volume pinned to a Node that is gone.
            String lostMember = prefix + "1";
            String lostNode = client.pods().inNamespace("default").withName(lostMember).get().getSpec().getNodeName();
            String lostAddress = client.services().inNamespace("default").withName(lostMember).get().getSpec().getClusterIP();
            long started = System.nanoTime();
            CliProcess.Result deleted = CliProcess.run(state, Duration.ofMinutes(2), "delete-node", lostNode);
            assertThat(deleted.exitCode()).as(deleted.output()).isZero();
            try (CqlSession session = session(contactPoints, superuser)) {
                // system_auth has 3 replicas: with one member lost, logins (LOCAL_QUORUM) still work.
                assertThat(session.execute("SELECT role FROM system_auth.roles WHERE role = ?", superuser.username()).one()).isNotNull();
            }
            awaitReplaced(client, name, lostMember);
            System.out.printf("MEASURED replacement through the operator after delete-node: %d s (node deleted to member "
                    + "NORMAL, repaired, records removed)%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());
            rememberProcesses();
            assertThat(client.pods().inNamespace("default").withName(lostMember).get().getSpec().getNodeName()).isNotEqualTo(lostNode);
            assertThat(client.services().inNamespace("default").withName(lostMember).get().getSpec().getClusterIP()).isEqualTo(lostAddress);
            assertRing(client, name, token, addresses);
            try (CqlSession session = session(contactPoints, superuser)) {
                assertAllRowsReadAtAll(session);
            }

            // A wiped disk under a pod that restarts (a node reboot): Cassandra refuses to rejoin under an address the ring
            // knows, the agent exits with its lost-volume code, and the operator replaces the member. Nobody labels anything.
            String wipedMember = prefix + "2";
            String wipedAddress = client.services().inNamespace("default").withName(wipedMember).get().getSpec().getClusterIP();
            started = System.nanoTime();
            CliProcess.Result wiped = CliProcess.run(state, Duration.ofMinutes(2), "wipe-disk", "data-" + wipedMember);
            assertThat(wiped.exitCode()).as(wiped.output()).isZero();
            CliProcess.Result killed = CliProcess.run(state, Duration.ofMinutes(2), "kill-pod", wipedMember);
            assertThat(killed.exitCode()).as(killed.output()).isZero();
            String cause = awaitReplaced(client, name, wipedMember);
            System.out.printf("MEASURED replacement through the operator after wipe-disk and a pod restart, no label: %d s (wipe to "
                    + "member NORMAL, repaired, records removed, Cluster Ready)%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());
            rememberProcesses();
            System.out.printf("MEASURED Cassandra's own replace (replace_address_first_boot) in the same run: %d s (the replacing "
                    + "agent's start to Cassandra NORMAL, from its log)%n", replaceStartToNormal(wipedMember, wipedAddress).toSeconds());
            assertThat(cause).contains("exit code " + Contract.AgentExit.VOLUME_LOST);
            assertThat(client.services().inNamespace("default").withName(wipedMember).get().getMetadata().getLabels())
                    .doesNotContainKey(Contract.Labels.REPLACE);
            assertThat(client.services().inNamespace("default").withName(wipedMember).get().getSpec().getClusterIP()).isEqualTo(wipedAddress);
            assertRing(client, name, token, addresses);
            try (CqlSession session = session(contactPoints, superuser)) {
                assertAllRowsReadAtAll(session);
            }
            assertThat(client.configMaps().inNamespace("default").withName(name + Contract.MembersConfig.SUFFIX).get().getData().keySet())
                    .noneMatch(k -> k.endsWith(Contract.MembersConfig.REPLACE_SUFFIX));
        }
    }

    /**
     * From the member's container log: the time from the start of the agent that replaced the member (it logs that it
     * replaces its own address) to Cassandra NORMAL, i.e. Cassandra's replace with {@code replace_address_first_boot}
     * without the operator's part (noticing the loss, giving up the claim and the pod, rescheduling, repair).
     */
    private Duration replaceStartToNormal(String member, String address) throws IOException {
        List<String> lines = Files.readAllLines(state.resolve("pods/default/" + member + "/logs/cassandra.log"));
        int normal = lastIndex(lines, lines.size(), "JoinRecorder - Cassandra is NORMAL");
        int start = lastIndex(lines, normal, "AgentMain - Member " + member);
        assertThat(normal).as("the replacing agent logged NORMAL").isPositive();
        assertThat(start).as("the replacing agent's start").isNotNegative();
        assertThat(lines.subList(start, normal)).as("that start was a replacement")
                .anyMatch(l -> l.contains("Replacing the member at " + address));
        return Duration.between(logTime(lines.get(start)), logTime(lines.get(normal)));
    }

    private static int lastIndex(List<String> lines, int before, String text) {
        for (int i = before - 1; i >= 0; i--) {
            if (lines.get(i).contains("[agent]") && lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    /** The timestamp of an agent log line ({@code INFO  [agent] 2026-11-25 10:06:33,852 AgentMain - ...}). */
    private static java.time.LocalDateTime logTime(String line) {
        String[] words = line.substring(line.indexOf("[agent]") + "[agent]".length()).trim().split(" ");
        return java.time.LocalDateTime.parse(words[0] + "T" + words[1].replace(',', '.'));
    }

    /** The replacement started, then finished: records gone, the Cluster Ready with 3 members. Returns the recorded cause. */
    private static String awaitReplaced(KubernetesClient client, String cluster, String member) {
        String cause = await().atMost(REPLACE_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> annotations(client, member).get(CAUSE), java.util.Objects::nonNull);
        await().atMost(REPLACE_TIMEOUT).pollInterval(Duration.ofSeconds(2)).until(() -> {
            Cluster current = client.resources(Cluster.class).inNamespace("default").withName(cluster).get();
            boolean ready = current.getStatus() != null && Integer.valueOf(3).equals(current.getStatus().getReadyMembers())
                    && current.getStatus().getConditions().stream().anyMatch(c -> isTrue(c, "Ready"));
            return ready && !annotations(client, member).containsKey(CAUSE);
        });
        return cause;
    }

    private static boolean isTrue(Condition condition, String type) {
        return type.equals(condition.getType()) && "True".equals(condition.getStatus());
    }

    private static Map<String, String> annotations(KubernetesClient client, String member) {
        Service service = client.services().inNamespace("default").withName(member).get();
        return service.getMetadata().getAnnotations() == null ? Map.of() : service.getMetadata().getAnnotations();
    }

    /** Every member's Cassandra sees the same three live nodes, at the members' ClusterIPs, none down or moving. */
    private static void assertRing(KubernetesClient client, String cluster, String token, Set<String> addresses) {
        for (Pod pod : client.pods().inNamespace("default").withLabel(Contract.Labels.CLUSTER, cluster).list().getItems()) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                JsonNode node = agentNode(pod.getStatus().getPodIP(), token);
                assertThat(node.path("operationMode").asText()).isEqualTo("NORMAL");
                Set<String> live = new HashSet<>();
                node.path("liveNodes").forEach(n -> live.add(n.asText().replaceFirst(":.*", "")));
                assertThat(live).as(node.toString()).isEqualTo(addresses);
                assertThat(node.path("unreachableNodes")).as(node.toString()).isEmpty();
                assertThat(node.path("joiningNodes")).as(node.toString()).isEmpty();
            });
        }
    }

    private static JsonNode agentNode(String podIP, String token) throws IOException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://" + podIP + ":" + Contract.Ports.AGENT + Contract.AgentApi.NODE))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + Contract.AgentApi.NODE + " on " + podIP + " failed: " + e, e);
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }

    private static CqlSession session(List<InetSocketAddress> contactPoints, SuperuserLogin superuser) {
        Supplier<DriverConfigLoader> config = () -> DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(30))
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(60))
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(30))
                .withString(DefaultDriverOption.REQUEST_CONSISTENCY, ConsistencyLevel.QUORUM.name())
                .build();
        return superuser.session(() -> CqlSession.builder().addContactPoints(contactPoints).withLocalDatacenter("dc1")
                .withConfigLoader(config.get()));
    }

    private static void write(CqlSession session) throws InterruptedException {
        PreparedStatement insert = session.prepare("INSERT INTO e2e.rows (id, value) VALUES (?, ?)");
        Semaphore inFlight = new Semaphore(64);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int id = 0; id < ROWS && failure.get() == null; id++) {
            inFlight.acquire();
            session.executeAsync(insert.bind(id, "value-" + id).setConsistencyLevel(ConsistencyLevel.QUORUM))
                    .whenComplete((result, error) -> {
                        if (error != null) {
                            failure.compareAndSet(null, error);
                        }
                        inFlight.release();
                    });
        }
        inFlight.acquire(64);
        assertThat(failure.get()).isNull();
    }

    private static void assertAllRowsReadAtAll(CqlSession session) {
        int count = 0;
        for (Row row : session.execute(SimpleStatement.newInstance("SELECT id, value FROM e2e.rows")
                .setConsistencyLevel(ConsistencyLevel.ALL).setPageSize(1000))) {
            assertThat(row.getString("value")).isEqualTo("value-" + row.getInt("id"));
            count++;
        }
        assertThat(count).isEqualTo(ROWS);
    }

    @AfterAll
    void downAndPurge() throws Exception {
        try {
            keepLogs();
            CliProcess.run(state, Duration.ofMinutes(6), "down", "--purge");
        } finally {
            rememberProcesses();
            seen.stream().filter(ProcessHandle::isAlive).forEach(RecordedProcess::killTree);
            deleteTree(state);
        }
        assertThat(seen).noneMatch(ProcessHandle::isAlive);
    }

    private void keepLogs() throws IOException {
        Path target = CliProcess.MODULE.resolve("target/e2e-logs/replacement");
        deleteTree(target);
        for (String dir : List.of("logs", "pods")) {
            if (!Files.isDirectory(state.resolve(dir))) {
                continue;
            }
            try (Stream<Path> files = Files.walk(state.resolve(dir))) {
                for (Path log : files.filter(p -> p.toString().endsWith(".log")).toList()) {
                    Path copy = target.resolve(state.relativize(log));
                    Files.createDirectories(copy.getParent());
                    Files.copy(log, copy);
                }
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

    private void rememberProcesses() {
        for (ProcessHandle process : CliView.recordedProcesses(state)) {
            seen.add(process);
            process.descendants().forEach(seen::add);
        }
    }
}
