package io.cassandraoperator.agent;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import io.cassandraoperator.agent.membership.VolumeMarker;
import io.cassandraoperator.api.Contract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * One agent with the operator's superuser credentials, the founding member of its cluster, with real Cassandra on
 * 127.0.4.5: #17 rule 8 (no CQL on the pod's address while the default role exists) and #23 (a volume wiped under the
 * running Cassandra is reported as lost).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentSafetyIT {
    private static final String IP = "127.0.4.5";
    private static final String POD = "safety-dc1-rack1-0";
    private static final String USERNAME = "safety-admin";
    private static final String PASSWORD = "not-the-default-5d1c";

    private Path work;
    private Path dataDir;
    private AgentProcess agent;

    @BeforeAll
    void startTheFoundingMember() throws IOException {
        Path image = Path.of(System.getProperty("agent.image.dir", "target/image"));
        work = Files.createTempDirectory(Path.of("target"), "agent-safety-it-");
        Path members = Files.createDirectories(work.resolve("members"));
        Files.writeString(members.resolve(POD), IP);
        Files.writeString(members.resolve(Contract.MembersConfig.SEEDS), IP);
        dataDir = work.resolve("data");
        agent = AgentProcess.start(image, POD, IP, Contract.Ports.AGENT, members, Files.createDirectories(work.resolve("user")),
                dataDir, work.resolve("logs").resolve("agent.log"),
                Map.of(Contract.Env.SUPERUSER_USERNAME, USERNAME, Contract.Env.SUPERUSER_PASSWORD, PASSWORD));
    }

    @AfterAll
    void stop() throws Exception {
        if (agent != null) {
            agent.stop(Duration.ofSeconds(30));
        }
    }

    @Test
    @Order(1)
    void cqlOnThePodAddressOpensOnlyOnceTheDefaultRoleIsDisabled() throws Exception {
        Path ensured = dataDir.resolve(VolumeMarker.SUPERUSER_ENSURED);
        long started = System.nanoTime();
        int refusedLooks = 0;
        while (!Files.exists(ensured)) {
            assertThat(agent.isAlive()).as("the agent runs").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("founding start finished").isLessThan(Duration.ofMinutes(4));
            assertThat(cqlListensOnThePodAddress()).as("CQL on " + IP + " before the role was ensured").isFalse();
            refusedLooks++;
            Thread.sleep(200);
        }
        assertThat(refusedLooks).as("looked while the founding start ran").isGreaterThan(20);
        assertThat(Files.readString(agent.log)).contains("Founding start");

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> agent.get(Contract.AgentApi.READINESS, false).statusCode() == 200);

        try (CqlSession session = login(USERNAME, PASSWORD)) {
            assertThat(session.execute("SELECT is_superuser, can_login FROM system_auth.roles WHERE role = 'cassandra'").one())
                    .satisfies(row -> {
                        assertThat(row.getBoolean("is_superuser")).isFalse();
                        assertThat(row.getBoolean("can_login")).isFalse();
                    });
        }
        assertThatThrownBy(() -> login("cassandra", "cassandra").close()).isInstanceOf(AllNodesFailedException.class);
    }

    @Test
    @Order(2)
    void aVolumeWipedUnderTheRunningCassandraIsReportedAsLost() throws Exception {
        ProcessHandle cassandra = agent.cassandra().orElseThrow();
        await().atMost(Duration.ofMinutes(1)).until(() -> Files.exists(dataDir.resolve(VolumeMarker.JOINED)));
        // The watch looks every 3 s once it saw system.local's SSTables.
        Thread.sleep(5_000);

        wipe(dataDir);

        await().atMost(Duration.ofMinutes(2)).until(() -> !agent.isAlive());
        assertThat(agent.exitCode()).contains(Contract.AgentExit.VOLUME_LOST);
        assertThat(cassandra.isAlive()).isFalse();
        assertThat(dataDir.resolve(VolumeMarker.LOST)).exists();
        assertThat(Files.readString(agent.log)).contains("The data volume vanished under the running Cassandra");
    }

    private static boolean cqlListensOnThePodAddress() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(IP, Contract.Ports.CQL), 500);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static CqlSession login(String username, String password) {
        return CqlSession.builder().addContactPoint(new InetSocketAddress(IP, Contract.Ports.CQL)).withLocalDatacenter("dc1")
                .withAuthCredentials(username, password).build();
    }

    private static void wipe(Path volume) throws IOException {
        try (Stream<Path> tree = Files.walk(volume)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).filter(path -> !path.equals(volume)).toList()) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException writtenMeanwhile) {
                    // A directory Cassandra wrote into meanwhile: as after a real wipe, some new files remain.
                }
            }
        }
    }
}
