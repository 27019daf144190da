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
import io.cassandraoperator.api.Contract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replacement of a lost member with real Cassandra: three agents from the image layout, an RF=3 keyspace, then a
 * member killed with its Cassandra (SIGKILL), its disk wiped, and the agent started again with the members
 * ConfigMap's {@code <pod>.replace} key. It must come back NORMAL under the same address and host ID holding every
 * row. First a non-seed, then a seed (which must leave itself out of its seed list to bootstrap), then a repair.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentReplacementIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] IPS = {"127.0.4.4", "127.0.4.5", "127.0.4.6"};
    private static final Duration NODE_START = Duration.ofMinutes(4);
    private static final String KEYSPACE = "replace_it";
    private static final int ROWS = 3000;
    /** Cassandra's warning when a node replaces one under the same address (StorageService, Cassandra 4 and 5). */
    private static final String SAME_ADDRESS_WARNING = "Writes will not be forwarded to this node during replacement";

    private final List<AgentProcess> started = new ArrayList<>();
    private final AgentProcess[] agents = new AgentProcess[3];
    private final Set<Integer> written = new HashSet<>();
    private Path image;
    private Path work;
    private Path members;
    private int port;

    @BeforeAll
    void startThreeMembers() throws Exception {
        image = Path.of(System.getProperty("agent.image.dir", "target/image"));
        work = Files.createTempDirectory(Path.of("target"), "agent-replace-it-");
        members = Files.createDirectories(work.resolve("members"));
        Path user = Files.createDirectories(work.resolve("user"));
        // A coordinator reading at ONE then reads its own replica (no dynamic snitch reordering): the checks below
        // read the replaced member's own data.
        Files.writeString(user.resolve(CassandraConfigDirectory.USER_CASSANDRA_YAML), "dynamic_snitch: false\n");
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            Files.writeString(members.resolve(podName(ordinal)), IPS[ordinal]);
        }
        port = AgentProcess.freePortOn(IPS);

        // As the operator does while the rack grows one member at a time: seeds are members 0 and 1 once they exist.
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
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            deleteRecursively(work.resolve("data-" + ordinal));
        }
    }

    @Test
    @Order(1)
    void threeMembersHoldEveryRowOfAnRf3Keyspace() throws Exception {
        try (CqlSession cql = cql(IPS[0])) {
            cql.execute("CREATE KEYSPACE " + KEYSPACE
                    + " WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3}");
            // No speculative retry: a read at ONE must be answered by the coordinator's own replica only.
            cql.execute("CREATE TABLE " + KEYSPACE + ".rows (id int PRIMARY KEY, value text)"
                    + " WITH speculative_retry = 'NEVER'");
            write(cql, 0, ROWS);
        }
        for (AgentProcess agent : agents) {
            assertThat(json(agent.get(Contract.AgentApi.NODE, true)).get("liveNodes")).hasSize(3);
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(agent.dataDir.resolve(VolumeMarker.JOINED)));
        }
    }

    @Test
    @Order(2)
    void aLostNonSeedMemberIsReplacedUnderItsAddressAndHostId() throws Exception {
        replaceAndCheck(2);
    }

    @Test
    @Order(3)
    void aLostSeedIsReplacedLeavingItselfOutOfItsSeedList() throws Exception {
        AgentProcess replacement = replaceAndCheck(0);

        assertThat(Files.readString(replacement.log)).contains("seeds [" + IPS[1] + "]");
    }

    @Test
    @Order(4)
    void aFullRepairRunsOnTheReplacedMember() throws Exception {
        AgentProcess agent = agents[0];

        HttpResponse<String> post = agent.post(Contract.AgentApi.REPAIR, "{\"id\":\"replace-0\"}");
        assertThat(post.statusCode()).as(post.body()).isEqualTo(202);
        long startNanos = System.nanoTime();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> !json(
                agent.get(Contract.AgentApi.REPAIR + "?id=replace-0", true)).get("state").asText().equals("RUNNING"));
        JsonNode run = json(agent.get(Contract.AgentApi.REPAIR + "?id=replace-0", true));
        assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("DONE");
        assertThat(run.get("loadBytesAfter").asLong()).isPositive();
        System.out.printf("Repair of the replaced seed took %d ms%n", (System.nanoTime() - startNanos) / 1_000_000);
        assertThat(Files.readString(agent.log)).contains("Repair of keyspace " + KEYSPACE + " completed");
        assertThat(agent.post(Contract.AgentApi.REPAIR, "{\"id\":\"replace-0\"}").statusCode()).isEqualTo(200);
        assertRowsOnOwnReplica(IPS[0]);
    }

    /** Kills member {@code ordinal} and its Cassandra, wipes its disk, and starts it again as its own replacement. */
    private AgentProcess replaceAndCheck(int ordinal) throws Exception {
        AgentProcess lost = agents[ordinal];
        String hostId = json(lost.get(Contract.AgentApi.NODE, true)).get("hostId").asText();
        lost.kill();
        deleteRecursively(lost.dataDir);
        int survivor = (ordinal + 1) % 3;
        // Written while the member is down, at QUORUM: the replacement must stream them from the others.
        try (CqlSession cql = cql(IPS[survivor])) {
            await().atMost(Duration.ofMinutes(1)).until(() -> json(agents[survivor].get(Contract.AgentApi.NODE, true))
                    .get("unreachableNodes").toString().contains(IPS[ordinal]));
            int from = written.size();
            write(cql, from, 500);
        }
        Files.writeString(members.resolve(podName(ordinal) + Membership.REPLACE_SUFFIX), "");

        long startNanos = System.nanoTime();
        AgentProcess replacement = startAgent(ordinal);
        agents[ordinal] = replacement;
        awaitReady(replacement);
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        System.out.printf("Replacement of member %d (%s): agent start to ready (NORMAL) in %d ms%n",
                ordinal, IPS[ordinal], millis);
        Files.delete(members.resolve(podName(ordinal) + Membership.REPLACE_SUFFIX));

        JsonNode node = json(replacement.get(Contract.AgentApi.NODE, true));
        assertThat(node.get("operationMode").asText()).isEqualTo("NORMAL");
        assertThat(node.get("hostId").asText()).isEqualTo(hostId);
        assertThat(node.get("broadcastAddress").asText()).isEqualTo(IPS[ordinal]);
        String[] cassandraArguments = replacement.cassandra().orElseThrow().info().arguments().orElseThrow();
        assertThat(cassandraArguments).contains("-Dcassandra.replace_address_first_boot=" + IPS[ordinal]);
        assertThat(Files.readString(replacement.log)).contains(SAME_ADDRESS_WARNING);
        for (AgentProcess agent : agents) {
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                JsonNode view = json(agent.get(Contract.AgentApi.NODE, true));
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

    /** Writes rows {@code from} to {@code from + count - 1} at QUORUM, a hundred in flight at a time. */
    private void write(CqlSession cql, int from, int count) {
        PreparedStatement insert = cql.prepare("INSERT INTO " + KEYSPACE + ".rows (id, value) VALUES (?, ?)");
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

    private AgentProcess startAgent(int ordinal) throws IOException {
        AgentProcess agent = AgentProcess.start(image, podName(ordinal), IPS[ordinal], port, members,
                work.resolve("user"), work.resolve("data-" + ordinal), work.resolve("logs").resolve(podName(ordinal)
                        + "-" + started.size() + ".log"));
        started.add(agent);
        return agent;
    }

    private static String podName(int ordinal) {
        return "replace-it-dc1-rack1-" + ordinal;
    }

    private static void awaitReady(AgentProcess agent) {
        await().atMost(NODE_START).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
            assertThat(agent.exitCode()).as("agent %s exited; see %s", agent.podName, agent.log).isEmpty();
            return agent.get(Contract.AgentApi.READINESS, false).statusCode() == 200;
        });
    }

    /** A session whose only coordinator is the member at {@code ip}. */
    private static CqlSession cql(String ip) {
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

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
