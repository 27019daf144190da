package io.cassandraoperator.agent;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cassandraoperator.api.Contract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import java.io.File;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Two agents, started from the image layout as real processes on their own loopback addresses, each running a real
 * Cassandra: readiness, the node view, JMX protection, a decommission Cassandra refuses, cleanup rounds named by id,
 * the Prometheus metrics, a decommission Cassandra performs, the restart of a decommissioned member, SIGTERM, and a
 * restart that remembers the last cleanup round. The steps build on each other, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String IP_0 = "127.0.4.1";
    private static final String IP_1 = "127.0.4.2";
    private static final Duration NODE_START = Duration.ofMinutes(3);
    private static final String KEYSPACE = "agent_it";
    private static final int ROWS = 200;

    private final List<AgentProcess> started = new ArrayList<>();
    private Path image;
    private Path work;
    private Path members;
    private int port;
    private AgentProcess agent0;
    private AgentProcess agent1;
    private AgentProcess agent1Restarted;

    @BeforeAll
    void startTwoMembers() throws Exception {
        image = Path.of(System.getProperty("agent.image.dir", "target/image"));
        assertThat(image.resolve("agent")).isDirectory();
        work = Files.createTempDirectory(Path.of("target"), "agent-it-");
        members = Files.createDirectories(work.resolve("members"));
        Files.createDirectories(work.resolve("user"));
        // What the operator writes into <cluster>-members: each member's broadcast address, and the seeds.
        Files.writeString(members.resolve("agent-it-dc1-rack1-0"), IP_0);
        Files.writeString(members.resolve("agent-it-dc1-rack1-1"), IP_1);
        Files.writeString(members.resolve(Contract.MembersConfig.SEEDS), IP_0);
        port = AgentProcess.freePortOn(IP_0, IP_1);

        agent0 = startAgent("agent-it-dc1-rack1-0", IP_0, "data-0");
        awaitReady(agent0);
        agent1 = startAgent("agent-it-dc1-rack1-1", IP_1, "data-1");
        awaitReady(agent1);
    }

    @AfterAll
    void stopEverything() throws Exception {
        for (AgentProcess agent : started) {
            agent.stop(Duration.ofSeconds(45));
        }
        // The agents' logs stay in target/ for reading; the nodes' data goes.
        for (String dataDir : List.of("data-0", "data-1")) {
            Path data = work.resolve(dataDir);
            if (Files.exists(data)) {
                try (Stream<Path> paths = Files.walk(data)) {
                    paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
                }
            }
        }
    }

    @Test
    @Order(1)
    void bothMembersAreNormalAndSeeEachOther() throws Exception {
        for (AgentProcess agent : List.of(agent0, agent1)) {
            JsonNode node = json(agent.get(Contract.AgentApi.NODE, true), 200);
            assertThat(node.get("operationMode").asText()).isEqualTo("NORMAL");
            assertThat(node.get("broadcastAddress").asText()).isEqualTo(agent.podIp);
            assertThat(node.get("hostId").asText()).isNotBlank();
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                    assertThat(json(agent.get(Contract.AgentApi.NODE, true), 200).get("liveNodes"))
                            .extracting(JsonNode::asText).containsExactlyInAnyOrder(IP_0, IP_1));
        }
        assertThat(agent0.get(Contract.AgentApi.NODE, false).statusCode()).isEqualTo(401);
        for (AgentProcess agent : List.of(agent0, agent1)) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Files.exists(agent.dataDir.resolve(VolumeMarker.JOINED)));
        }
    }

    @Test
    @Order(2)
    void jmxRefusesConnectionsWithoutTheAgentsPassword() throws Exception {
        int jmxPort = agent0.jmxPort();

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
        try (CqlSession cql = cql()) {
            // Cassandra counts every replicated keyspace: bring the system ones down to what one node can hold.
            for (String keyspace : List.of("system_distributed", "system_traces", "system_auth")) {
                cql.execute("ALTER KEYSPACE " + keyspace
                        + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            }
            cql.execute("CREATE KEYSPACE " + KEYSPACE
                    + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2}");
            cql.execute("CREATE TABLE " + KEYSPACE + ".rows (id int PRIMARY KEY, value text)");
            for (int id = 0; id < ROWS; id++) {
                cql.execute(SimpleStatement.newInstance("INSERT INTO " + KEYSPACE + ".rows (id, value) VALUES (?, ?)",
                        id, "row-" + id).setConsistencyLevel(ConsistencyLevel.ALL));
            }
        }

        HttpResponse<String> post = agent1.post(Contract.AgentApi.DECOMMISSION);
        assertThat(post.statusCode()).isEqualTo(202);
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
        assertThat(node.get("liveNodes")).extracting(JsonNode::asText).containsExactlyInAnyOrder(IP_0, IP_1);
        assertThat(agent1.get(Contract.AgentApi.READINESS, false).statusCode()).isEqualTo(200);
        assertThat(agent1.dataDir.resolve(VolumeMarker.DECOMMISSIONED)).doesNotExist();
    }

    @Test
    @Order(4)
    void cleanupRunsOncePerRoundIdAndReportsTheLoad() throws Exception {
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
    @Order(5)
    void cassandrasMetricsAreServedInPrometheusFormatOnThePodIp() throws Exception {
        List<String> allSamples = new ArrayList<>();
        for (AgentProcess agent : List.of(agent0, agent1)) {
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
    @Order(6)
    void withReplicationFactorOneTheMemberLeavesOnceAndKeepsEveryRow() throws Exception {
        try (CqlSession cql = cql()) {
            cql.execute("ALTER KEYSPACE " + KEYSPACE
                    + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        }

        assertThat(agent1.post(Contract.AgentApi.DECOMMISSION).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofMinutes(3)).until(() ->
                json(agent1.get(Contract.AgentApi.DECOMMISSION, true), 200).get("state").asText().equals("DONE"));

        long startsBefore = decommissionStarts(agent1);
        HttpResponse<String> again = agent1.post(Contract.AgentApi.DECOMMISSION);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again, 200).get("state").asText()).isEqualTo("DONE");
        assertThat(agent1.dataDir.resolve(VolumeMarker.DECOMMISSIONED)).exists();
        assertThat(json(agent1.get(Contract.AgentApi.NODE, true), 200).get("operationMode").asText())
                .isEqualTo("DECOMMISSIONED");
        assertThat(agent1.get(Contract.AgentApi.READINESS, false).statusCode()).isEqualTo(503);
        assertThat(decommissionStarts(agent1)).isEqualTo(startsBefore);

        try (CqlSession cql = cql()) {
            long rows = cql.execute(SimpleStatement.newInstance("SELECT count(*) FROM " + KEYSPACE + ".rows")
                    .setConsistencyLevel(ConsistencyLevel.ALL)).one().getLong(0);
            assertThat(rows).isEqualTo(ROWS);
        }
    }

    @Test
    @Order(7)
    void aRestartedDecommissionedMemberDoesNotStartCassandra() throws Exception {
        ProcessHandle oldCassandra = agent1.cassandra().orElseThrow();
        agent1.terminate();
        await().atMost(Duration.ofMinutes(1)).until(() -> !agent1.isAlive() && !oldCassandra.isAlive());

        AgentProcess restarted = startAgent(agent1.podName, IP_1, "data-1");
        agent1Restarted = restarted;
        await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() ->
                restarted.get(Contract.AgentApi.LIVENESS, false).statusCode() == 200);

        assertThat(restarted.cassandra()).isEmpty();
        assertThat(json(restarted.get(Contract.AgentApi.DECOMMISSION, true), 200).get("state").asText())
                .isEqualTo("DONE");
        HttpResponse<String> post = restarted.post(Contract.AgentApi.DECOMMISSION);
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(json(post, 200).get("state").asText()).isEqualTo("DONE");
        assertThat(restarted.get(Contract.AgentApi.READINESS, false).statusCode()).isEqualTo(503);
        assertThat(restarted.isAlive()).isTrue();
        assertThat(restarted.cassandra()).isEmpty();
    }

    @Test
    @Order(8)
    void cassandrasRefusalToRejoinIsRecordedWhenTheMarkerWasNeverWritten() throws Exception {
        // As if the container stopped after Cassandra finished the decommission and before the agent wrote the marker.
        agent1Restarted.stop(Duration.ofSeconds(30));
        Files.delete(agent1.dataDir.resolve(VolumeMarker.DECOMMISSIONED));

        AgentProcess restarted = startAgent(agent1.podName, IP_1, "data-1");

        await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() ->
                json(restarted.get(Contract.AgentApi.DECOMMISSION, true), 200).get("state").asText().equals("DONE"));
        assertThat(agent1.dataDir.resolve(VolumeMarker.DECOMMISSIONED)).exists();
        await().atMost(Duration.ofMinutes(1)).until(() -> restarted.cassandra().isEmpty());
        assertThat(restarted.isAlive()).isTrue();
        assertThat(restarted.get(Contract.AgentApi.LIVENESS, false).statusCode()).isEqualTo(200);
        assertThat(Files.readString(restarted.log)).contains(AgentMain.DECOMMISSIONED_REFUSAL);
    }

    @Test
    @Order(9)
    void sigtermDrainsAndStopsCassandra() throws Exception {
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
    @Order(10)
    void aMemberWhoseDataJoinedRestartsWhileNoOtherSeedIsUp() throws Exception {
        // Every member of a three-member rack is a seed; the others are down, as after a whole-cluster stop.
        Files.writeString(members.resolve(Contract.MembersConfig.SEEDS), IP_0 + "," + IP_1);

        AgentProcess restarted = startAgent(agent0.podName, IP_0, "data-0");

        awaitReady(restarted);
        assertThat(Files.readString(restarted.log)).contains("seeds [" + IP_0 + ", " + IP_1 + "]");

        // The last finished cleanup survived the restart on the data volume: asked again, it is not run again.
        assertThat(json(restarted.get(Contract.AgentApi.CLEANUP + "?id=round-2", true), 200).get("state").asText())
                .isEqualTo("DONE");
        assertThat(json(restarted.post(Contract.AgentApi.CLEANUP, "{\"id\":\"round-2\"}"), 200).get("state").asText())
                .isEqualTo("DONE");
        assertThat(logLines(restarted, "Started cleanup round-2")).isEqualTo(1);
    }

    private AgentProcess startAgent(String podName, String ip, String dataDir) throws IOException {
        AgentProcess agent = AgentProcess.start(image, podName, ip, port, members, work.resolve("user"),
                work.resolve(dataDir), work.resolve("logs").resolve(podName + ".log"));
        started.add(agent);
        return agent;
    }

    private static void awaitReady(AgentProcess agent) {
        await().atMost(NODE_START).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
            assertThat(agent.exitCode()).as("agent %s exited; see %s", agent.podName, agent.log).isEmpty();
            return agent.get(Contract.AgentApi.READINESS, false).statusCode() == 200;
        });
    }

    private static CqlSession cql() {
        // Schema changes on a busy two-core machine take longer than the driver's default 2 s.
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress(IP_0, Contract.Ports.CQL))
                .withLocalDatacenter("dc1")
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30))
                        .build())
                .build();
    }

    private static long decommissionStarts(AgentProcess agent) throws IOException {
        return logLines(agent, "Started decommission");
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
}
