package io.cassandraoperator.agent;

import io.cassandraoperator.agent.config.AgentSettings;
import io.cassandraoperator.api.Contract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The agent as a real process whose Cassandra cannot run: it must exit non-zero so the kubelet restarts it. */
class AgentExitIT {
    private static final String IP = "127.0.4.3";

    private AgentProcess agent;

    @AfterEach
    void stop() throws InterruptedException {
        if (agent != null) {
            agent.stop(Duration.ofSeconds(20));
        }
    }

    @Test
    void whenCassandraExitsOnItsOwnTheAgentExitsNonZero(@TempDir Path work) throws IOException {
        Path members = Files.createDirectories(work.resolve("members"));
        Files.writeString(members.resolve("exit-dc1-rack1-0"), IP);
        Files.writeString(members.resolve(Contract.MembersConfig.SEEDS), IP);
        Path noJars = Files.createDirectories(work.resolve("no-jars"));
        Path log = Path.of("target", "agent-exit-it.log");
        Files.deleteIfExists(log);

        agent = AgentProcess.start(Path.of(System.getProperty("agent.image.dir", "target/image")), "exit-dc1-rack1-0",
                IP, Contract.Ports.AGENT, members, Files.createDirectories(work.resolve("user")),
                work.resolve("data"), log, Map.of(AgentSettings.CASSANDRA_CLASSPATH, noJars + "/*"));

        await().atMost(Duration.ofMinutes(1)).until(() -> !agent.isAlive());
        assertThat(agent.exitCode()).hasValueSatisfying(code -> assertThat(code).isNotZero());
        assertThat(Files.readString(log)).contains("Cassandra exited on its own");
    }
}
