package io.cassandraoperator.agent;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.loadbalancing.NodeDistance;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cassandraoperator.agent.cassandra.JmxAccess;
import io.cassandraoperator.agent.cassandra.JmxCassandraNode;
import io.cassandraoperator.agent.config.CassandraConfigDirectory;
import io.cassandraoperator.agent.membership.Membership;
import io.cassandraoperator.agent.membership.VolumeMarker;
import io.cassandraoperator.api.Contract;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Three agents, started from the image layout as real processes on their own loopback addresses, each running a real
 * Cassandra, one cluster for every check (real Cassandra time is the test suite's cost): readiness, the node view,
 * JMX protection, a decommission Cassandra refuses, the Prometheus metrics, the replacement of a lost non-seed and of
 * a lost seed (SIGKILL, disk wiped, same address and host ID, every row on the replacement), a full repair, cleanup
 * rounds named by id, a decommission Cassandra performs, the restart of a decommissioned member, SIGTERM, and a
 * restart that remembers the last cleanup round. The steps build on each other, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Members 0 and 1 are seeds, member 2 is not. 127.0.4.3 belongs to {@link AgentExitIT}. */
    private static final String[] IPS = {"127.0.4.1", "127.0.4.2", "127.0.4.4"};
    private static final Duration NODE_START = Duration.ofMinutes(4);
    private static final String KEYSPACE = "agent_it";
    private static final int ROWS = 3000;
    /** Cassandra's warning when a node replaces one under the same address (StorageService, Cassandra 4 and 5). */
    private static final String SAME_ADDRESS_WARNING = "Writes will not be forwarded to this node during replacement";

    private final List<AgentProcess> started = new ArrayList<>();
    /** The current agent of each member. */
    private final AgentProcess[] agents = new AgentProcess[3];
    private final Set<Integer> written = new HashSet<>();
    private Path image;
    private Path work;
    private Path members;
    private int port;

    @BeforeAll
    void startThreeMembers() throws Exception {
        image = Path.of(System.getProperty("agent.image.dir", "target/image"));
        assertThat(image.resolve("agent")).isDirectory();
        work = Files.createTempDirectory(Path.of("target"), "agent-it-");
        members = Files.createDirectories(work.resolve("members"));
        Path user = Files.createDirectories(work.resolve("user"));
        // A coordinator reading at ONE then reads its own replica (no dynamic snitch reordering): the replacement
        // checks read the replaced member's own data.
        Files.writeString(user.resolve(CassandraConfigDirectory.USER_CASSANDRA_YAML), "dynamic_snitch: false\n");
        // What the operator writes into <cluster>-members: each member's broadcast address, and the seeds, which are
        // members 0 and 1 once they exist (the rack grows one member at a time).
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            Files.writeString(members.resolve(podName(ordinal)), IPS[ordinal]);
        }
        port = AgentProcess.freePortOn(IPS);

        Files.writeString(members.resolve(Contract.MembersConfig.SEEDS), IPS[0]);
        agents[0] = startAgent(0);
        awaitReady(agents[0]);
        Files.writeString(members.resolve(Contract.MembersConfig.SEEDS), IPS[0] + "," + IPS[1]);
        agents[1] = startAgent(1);
        awaitReady(agents[1]);
        agents[2] = startAgent(2);
        awaitReady(agents[2]);
    }

    @AfterAll
    void stopEverything() throws Exception {
        for (AgentProcess agent : started) {
            agent.stop(Duration.ofSeconds(30));
        }
        // The agents' logs stay in target/ for reading; the nodes' data goes.
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            deleteRecursively(work.resolve("data-" + ordinal));
        }
    }

    @Test
    @Order(1)
    void allMembersAreNormalAndSeeEachOther() throws Exception {
        for (AgentProcess agent : agents) {
            JsonNode node = json(agent.get(Contract.AgentApi.NODE, true), 200);
            assertThat(node.get("operationMode").asText()).isEqualTo("NORMAL");
            assertThat(node.get("broadcastAddress").asText()).isEqualTo(agent.podIp);
            assertThat(node.get("hostId").asText()).isNotBlank();
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                    assertThat(json(agent.get(Contract.AgentApi.NODE, true), 200).get("liveNodes"))
                            .extracting(JsonNode::asText).containsExactlyInAnyOrder(IPS));
        }
        assertThat(agents[0].get(Contract.AgentApi.NODE, false).statusCode()).isEqualTo(401);
        for (AgentProcess agent : agents) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Files.exists(agent.dataDir.resolve(VolumeMarker.JOINED)));
        }
    }

    @Test
    @Order(2)
    void jmxRefusesConnectionsWithoutTheAgentsPassword() throws Exception {
        int jmxPort = agents[0].jmxPort();

        assertThatThrownBy(() -> JMXConnectorFactory.connect(JmxCassandraNode.serviceUrl(jmxPort)).close())
                .hasStackTraceContaining("SecurityException: Authentication failed");
        assertThatThrownBy(() -> JMXConnectorFactory.connect(JmxCassandraNode.serviceUrl(jmxPort),
                Map.of(JMXConnector.CREDENTIALS, new String[] {JmxAccess.USER, "guessed"})).close())
                .hasStackTraceContaining("SecurityException: Authentication failed");
        assertThatThrownBy(() -> JMXConnectorFactory.connect(JmxCassandraNode.serviceUrl(jmxPort),
                Map.of(JMXConnector.CREDENTIALS, new String[] {"cassandra", "cassandra"})).close())
                .hasStackTraceContaining("SecurityException: Authentication failed");
    }

    @Test
    @Order(3)
    void cassandraRefusesADecommissionThatWouldLeaveTooFewReplicas() throws Exception {
        try (CqlSession cql = cql(IPS[0])) {
            // Cassandra counts every replicated keyspace: bring the system ones down so that ours is the one it names.
            for (String keyspace : List.of("system_distributed", "system_traces", "system_auth")) {
                cql.execute("ALTER KEYSPACE " + keyspace
                        + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            }
            cql.execute("CREATE KEYSPACE " + KEYSPACE
                    + " WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3}");
            // No speculative retry: a read at ONE must be answered by the coordinator's own replica only.
            cql.execute("CREATE TABLE " + KEYSPACE + ".rows (id int PRIMARY KEY, value text)"
                    + " WITH speculative_retry = 'NEVER'");
            write(cql, ROWS);
        }
        AgentProcess agent1 = agents[1];

        HttpResponse<String> post = agent1.post(Contract.AgentApi.DECOMMISSION);
        assertThat(json(post, 202).get("state").asText()).isEqualTo("RUNNING");

        await().atMost(Duration.ofMinutes(1)).until(() ->
                json(agent1.get(Contract.AgentApi.DECOMMISSION, true), 200).get("state").asText().equals("FAILED"));
        JsonNode failed = json(agent1.get(Contract.AgentApi.DECOMMISSION, true), 200);
        assertThat(failed.get("message").asText())
                .startsWith("Not enough live nodes to maintain replication factor in keyspace " + KEYSPACE);
        // Cassandra 5.0 calls the mode after any failed decommission DECOMMISSION_FAILED; the node is still a member.
        JsonNode node = json(agent1.get(Contract.AgentApi.NODE, true), 200);
        assertThat(node.get("operationMode").asText()).isIn("NORMAL", "DECOMMISSION_FAILED");
        assertThat(node.get("leavingNodes")).isEmpty();
        assertThat(node.get("liveNodes")).extracting(JsonNode::asText).containsExactlyInAnyOrder(IPS);
        assertThat(agent1.get(Contract.AgentApi.READINESS, false).statusCode()).isEqualTo(200);
        assertThat(agent1.dataDir.resolve(VolumeMarker.DECOMMISSIONED)).doesNotExist();
    }

    @Test
    @Order(4)
    void cassandrasMetricsAreServedInPrometheusFormatOnThePodIp() throws Exception {
        List<String> allSamples = new ArrayList<>();
        for (AgentProcess agent : agents) {
            HttpResponse<String> scrape = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://" + agent.podIp + ":" + Contract.Ports.METRICS + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(scrape.statusCode()).isEqualTo(200);
            List<String> samples = scrape.body().lines().filter(line -> !line.startsWith("#")).toList();
            assertThat(samples).anyMatch(line -> line.matches("cassandra_storage_load [0-9.E]+"));
            assertThat(samples).anyMatch(line -> line.startsWith("cassandra_thread_pool_pendingtasks{"));
            assertThat(samples).anyMatch(line -> line.startsWith("cassandra_compaction_pendingtasks "));
            allSamples.addAll(samples);
        }
        // Cassandra registers client request metrics on the first request it coordinates: the rows written above.
        assertThat(allSamples).anyMatch(line ->
                line.startsWith("cassandra_client_request_latency_count{operation=\"Write\"}"));
    }

    @Test
    @Order(5)
    void aLostNonSeedMemberIsReplacedUnderItsAddressAndHostId() throws Exception {
        replaceAndCheck(2);
    }

    @Test
    @Order(6)
    void aLostSeedIsReplacedLeavingItselfOutOfItsSeedList() throws Exception {
        AgentProcess replacement = replaceAndCheck(0);

        assertThat(Files.readString(replacement.log)).contains("seeds [" + IPS[1] + "]");
    }

    @Test
    @Order(7)
    void aFullRepairRunsOnTheReplacedMember() throws Exception {
        AgentProcess agent = agents[0];

        HttpResponse<String> post = agent.post(Contract.AgentApi.REPAIR, "{\"id\":\"replace-0\"}");
        assertThat(post.statusCode()).as(post.body()).isEqualTo(202);
        long startNanos = System.nanoTime();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> !json(
                agent.get(Contract.AgentApi.REPAIR + "?id=replace-0", true), 200).get("state").asText().equals("RUNNING"));
        JsonNode run = json(agent.get(Contract.AgentApi.REPAIR + "?id=replace-0", true), 200);
        assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("DONE");
        assertThat(run.get("loadBytesAfter").asLong()).isPositive();
        System.out.printf("Repair of the replaced seed took %d ms%n", (System.nanoTime() - startNanos) / 1_000_000);
        assertThat(Files.readString(agent.log)).contains("Repair of keyspace " + KEYSPACE + " completed");
        assertThat(agent.post(Contract.AgentApi.REPAIR, "{\"id\":\"replace-0\"}").statusCode()).isEqualTo(200);
        assertRowsOnOwnReplica(IPS[0]);
    }

    @Test
    @Order(8)
    void cleanupRunsOncePerRoundIdAndReportsTheLoad() throws Exception {
        AgentProcess agent0 = agents[0];
        HttpResponse<String> first = agent0.post(Contract.AgentApi.CLEANUP, "{\"id\":\"round-1\"}");
        assertThat(json(first, 202).get("state").asText()).isEqualTo("RUNNING");
        awaitRun(agent0, Contract.AgentApi.CLEANUP, "round-1", "DONE");
        JsonNode done = json(agent0.get(Contract.AgentApi.CLEANUP + "?id=round-1", true), 200);
        assertThat(done.get("loadBefore").asText()).isNotBlank();
        assertThat(done.get("loadAfter").asText()).isNotBlank();
        assertThat(done.get("loadBytesBefore").asLong()).isPositive();
        assertThat(done.get("loadBytesAfter").asLong()).isPositive();

        assertThat(json(agent0.post(Contract.AgentApi.CLEANUP, "{\"id\":\"round-1\"}"), 200).get("state").asText())
                .isEqualTo("DONE");
        assertThat(agent0.post(Contract.AgentApi.CLEANUP, "{\"id\":\"round-2\"}").statusCode()).isEqualTo(202);
        awaitRun(agent0, Contract.AgentApi.CLEANUP, "round-2", "DONE");
        assertThat(logLines(agent0, "Started cleanup round-1")).isEqualTo(1);
        assertThat(logLines(agent0, "Started cleanup round-2")).isEqualTo(1);
        assertThat(logLines(agent0, "Cleanup of keyspace " + KEYSPACE)).isEqualTo(2);
    }

    @Test
    @Order(9)
    void withFewerReplicasNeededTheMemberLeavesOnceAndKeepsEveryRow() throws Exception {
        AgentProcess agent2 = agents[2];
        try (CqlSession cql = cql(IPS[0])) {
            cql.execute("ALTER KEYSPACE " + KEYSPACE
                    + " WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 2}");
        }

        assertThat(agent2.post(Contract.AgentApi.DECOMMISSION).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofMinutes(3)).until(() ->
                json(agent2.get(Contract.AgentApi.DECOMMISSION, true), 200).get("state").asText().equals("DONE"));

        HttpResponse<String> again = agent2.post(Contract.AgentApi.DECOMMISSION);
        assertThat(json(again, 200).get("state").asText()).isEqualTo("DONE");
        assertThat(agent2.dataDir.resolve(VolumeMarker.DECOMMISSIONED)).exists();
        assertThat(json(agent2.get(Contract.AgentApi.NODE, true), 200).get("operationMode").asText())
                .isEqualTo("DECOMMISSIONED");
        assertThat(agent2.get(Contract.AgentApi.READINESS, false).statusCode()).isEqualTo(503);
        assertThat(logLines(agent2, "Started decommission")).isEqualTo(1);

        try (CqlSession cql = cql(IPS[0])) {
            long rows = cql.execute(SimpleStatement.newInstance("SELECT count(*) FROM " + KEYSPACE + ".rows")
                    .setConsistencyLevel(ConsistencyLevel.ALL)).one().getLong(0);
            assertThat(rows).isEqualTo(written.size());
        }
    }

    @Test
    @Order(10)
    void aRestartedDecommissionedMemberDoesNotStartCassandra() throws Exception {
        AgentProcess agent2 = agents[2];
        ProcessHandle oldCassandra = agent2.cassandra().orElseThrow();
        agent2.terminate();
        await().atMost(Duration.ofMinutes(1)).until(() -> !agent2.isAlive() && !oldCassandra.isAlive());

        AgentProcess restarted = startAgent(2);
        agents[2] = restarted;
        await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() ->
                restarted.get(Contract.AgentApi.LIVENESS, false).statusCode() == 200);

        assertThat(restarted.cassandra()).isEmpty();
        assertThat(json(restarted.get(Contract.AgentApi.DECOMMISSION, true), 200).get("state").asText())
                .isEqualTo("DONE");
        HttpResponse<String> post = restarted.post(Contract.AgentApi.DECOMMISSION);
        assertThat(json(post, 200).get("state").asText()).isEqualTo("DONE");
        assertThat(restarted.get(Contract.AgentApi.READINESS, false).statusCode()).isEqualTo(503);
        assertThat(restarted.isAlive()).isTrue();
        assertThat(restarted.cassandra()).isEmpty();
    }

    @Test
    @Order(11)
    void cassandrasRefusalToRejoinIsRecordedWhenTheMarkerWasNeverWritten() throws Exception {
        // As if the container stopped after Cassandra finished the decommission and before the agent wrote the marker.
        agents[2].stop(Duration.ofSeconds(30));
        Files.delete(agents[2].dataDir.resolve(VolumeMarker.DECOMMISSIONED));

        AgentProcess restarted = startAgent(2);
        agents[2] = restarted;

        await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() ->
                json(restarted.get(Contract.AgentApi.DECOMMISSION, true), 200).get("state").asText().equals("DONE"));
        assertThat(restarted.dataDir.resolve(VolumeMarker.DECOMMISSIONED)).exists();
        await().atMost(Duration.ofMinutes(1)).until(() -> restarted.cassandra().isEmpty());
        assertThat(restarted.isAlive()).isTrue();
        assertThat(restarted.get(Contract.AgentApi.LIVENESS, false).statusCode()).isEqualTo(200);
        assertThat(Files.readString(restarted.log)).contains("This node was decommissioned and will not rejoin the ring");
    }

    @Test
    @Order(12)
    void sigtermDrainsAndStopsCassandra() throws Exception {
        AgentProcess agent0 = agents[0];
        ProcessHandle cassandra = agent0.cassandra().orElseThrow();

        agent0.terminate();

        await().atMost(Duration.ofMinutes(2)).until(() -> !agent0.isAlive());
        assertThat(cassandra.isAlive()).isFalse();
        assertThat(ProcessHandle.of(cassandra.pid()).filter(ProcessHandle::isAlive)).isEmpty();
        String log = Files.readString(agent0.log);
        assertThat(log).contains("DRAINED").contains("Drained");
        assertThat(log.indexOf("DRAINED")).isLessThan(log.indexOf("Stopping Cassandra"));
    }

    @Test
    @Order(13)
    void aMemberWhoseDataJoinedRestartsWhileNoOtherSeedIsUp() throws Exception {
        // The other seed is down too, as after a whole-cluster stop.
        agents[1].stop(Duration.ofSeconds(30));

        AgentProcess restarted = startAgent(0);
        agents[0] = restarted;

        awaitReady(restarted);
        assertThat(Files.readString(restarted.log)).contains("seeds [" + IPS[0] + ", " + IPS[1] + "]");

        // The last finished cleanup survived the restart on the data volume: asked again, it is not run again.
        assertThat(json(restarted.get(Contract.AgentApi.CLEANUP + "?id=round-2", true), 200).get("state").asText())
                .isEqualTo("DONE");
        assertThat(json(restarted.post(Contract.AgentApi.CLEANUP, "{\"id\":\"round-2\"}"), 200).get("state").asText())
                .isEqualTo("DONE");
        assertThat(logLines(restarted, "Started cleanup")).isZero();
    }

    /** Kills member {@code ordinal} and its Cassandra, wipes its disk, and starts it again as its own replacement. */
    private AgentProcess replaceAndCheck(int ordinal) throws Exception {
        AgentProcess lost = agents[ordinal];
        String hostId = json(lost.get(Contract.AgentApi.NODE, true), 200).get("hostId").asText();
        lost.kill();
        deleteRecursively(lost.dataDir);
        int survivor = (ordinal + 1) % 3;
        // Written while the member is down, at QUORUM: the replacement must stream them from the others.
        await().atMost(Duration.ofMinutes(1)).until(() -> json(agents[survivor].get(Contract.AgentApi.NODE, true), 200)
                .get("unreachableNodes").toString().contains(IPS[ordinal]));
        try (CqlSession cql = cql(IPS[survivor])) {
            write(cql, 500);
        }
        Path replaceKey = members.resolve(podName(ordinal) + Membership.REPLACE_SUFFIX);
        Files.writeString(replaceKey, "");

        long startNanos = System.nanoTime();
        AgentProcess replacement = startAgent(ordinal);
        agents[ordinal] = replacement;
        awaitReady(replacement);
        System.out.printf("Replacement of member %d (%s): agent start to ready (NORMAL) in %d ms%n",
                ordinal, IPS[ordinal], (System.nanoTime() - startNanos) / 1_000_000);
        Files.delete(replaceKey);

        JsonNode node = json(replacement.get(Contract.AgentApi.NODE, true), 200);
        assertThat(node.get("operationMode").asText()).isEqualTo("NORMAL");
        assertThat(node.get("hostId").asText()).isEqualTo(hostId);
        assertThat(node.get("broadcastAddress").asText()).isEqualTo(IPS[ordinal]);
        String[] cassandraArguments = replacement.cassandra().orElseThrow().info().arguments().orElseThrow();
        assertThat(cassandraArguments).contains("-Dcassandra.replace_address_first_boot=" + IPS[ordinal]);
        assertThat(Files.readString(replacement.log)).contains(SAME_ADDRESS_WARNING);
        for (AgentProcess agent : agents) {
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                JsonNode view = json(agent.get(Contract.AgentApi.NODE, true), 200);
                assertThat(view.get("liveNodes")).extracting(JsonNode::asText).containsExactlyInAnyOrder(IPS);
                assertThat(view.get("unreachableNodes")).isEmpty();
            });
        }
        assertRowsOnOwnReplica(IPS[ordinal]);
        try (CqlSession cql = cql(IPS[ordinal])) {
            long all = cql.execute(SimpleStatement.newInstance("SELECT count(*) FROM " + KEYSPACE + ".rows")
                    .setConsistencyLevel(ConsistencyLevel.ALL)).one().getLong(0);
            assertThat(all).isEqualTo(written.size());
        }
        return replacement;
    }

    /**
     * Every row written so far, read at ONE through the given member alone: with the dynamic snitch off and no
     * speculative retry, the coordinator answers from its own replica, so this reads that member's data.
     */
    private void assertRowsOnOwnReplica(String ip) {
        try (CqlSession cql = cql(ip)) {
            Set<Integer> ids = new HashSet<>();
            for (Row row : cql.execute(SimpleStatement.newInstance("SELECT id, value FROM " + KEYSPACE + ".rows")
                    .setConsistencyLevel(ConsistencyLevel.ONE).setPageSize(1000))) {
                assertThat(row.getString("value")).isEqualTo("row-" + row.getInt("id"));
                ids.add(row.getInt("id"));
            }
            assertThat(ids).hasSize(written.size()).isEqualTo(written);
        }
    }

    /** Writes {@code count} more rows at QUORUM, a hundred in flight at a time. */
    private void write(CqlSession cql, int count) {
        PreparedStatement insert = cql.prepare("INSERT INTO " + KEYSPACE + ".rows (id, value) VALUES (?, ?)");
        int from = written.size();
        for (int chunk = from; chunk < from + count; chunk += 100) {
            int end = Math.min(chunk + 100, from + count);
            List<CompletableFuture<AsyncResultSet>> inFlight = IntStream.range(chunk, end)
                    .mapToObj(id -> cql.executeAsync(insert.bind(id, "row-" + id)
                            .setConsistencyLevel(ConsistencyLevel.QUORUM)).toCompletableFuture())
                    .toList();
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
        }
        IntStream.range(from, from + count).forEach(written::add);
    }

    /** Starts member {@code ordinal}'s agent on its data volume; each start logs to its own file. */
    private AgentProcess startAgent(int ordinal) throws IOException {
        AgentProcess agent = AgentProcess.start(image, podName(ordinal), IPS[ordinal], port, members,
                work.resolve("user"), work.resolve("data-" + ordinal),
                work.resolve("logs").resolve(podName(ordinal) + "-start-" + started.size() + ".log"));
        started.add(agent);
        return agent;
    }

    private static String podName(int ordinal) {
        return "agent-it-dc1-rack1-" + ordinal;
    }

    private static void awaitReady(AgentProcess agent) {
        await().atMost(NODE_START).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
            assertThat(agent.exitCode()).as("agent %s exited; see %s", agent.podName, agent.log).isEmpty();
            return agent.get(Contract.AgentApi.READINESS, false).statusCode() == 200;
        });
    }

    /** A session whose only coordinator is the member at {@code ip}. */
    private static CqlSession cql(String ip) {
        // Schema changes on a busy two-core machine take longer than the driver's default 2 s.
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress(ip, Contract.Ports.CQL))
                .withLocalDatacenter("dc1")
                .withNodeDistanceEvaluator((node, localDc) -> node.getEndPoint().resolve() instanceof InetSocketAddress
                        address && address.getAddress().getHostAddress().equals(ip) ? NodeDistance.LOCAL
                        : NodeDistance.IGNORED)
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30))
                        .build())
                .build();
    }

    /** Lines of the agent's log (its own and its Cassandra's output) that contain {@code text}. */
    private static long logLines(AgentProcess agent, String text) throws IOException {
        return Files.readAllLines(agent.log).stream().filter(line -> line.contains(text)).count();
    }

    private static void awaitRun(AgentProcess agent, String path, String id, String state) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() ->
                json(agent.get(path + "?id=" + id, true), 200).get("state").asText().equals(state));
    }

    private static JsonNode json(HttpResponse<String> response, int expectedStatus) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            PathUtils.deleteDirectory(dir);
        }
    }
}
