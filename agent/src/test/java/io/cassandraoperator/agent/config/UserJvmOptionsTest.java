package io.cassandraoperator.agent.config;

import io.cassandraoperator.agent.cassandra.CassandraCommandLine;
import io.cassandraoperator.agent.cassandra.JmxAccess;
import io.cassandraoperator.api.Contract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class UserJvmOptionsTest {

    @Test
    void oneOptionPerLineWithoutCommentsOrBlankLines() {
        assertThat(UserJvmOptions.parse("# heap dumps\n-XX:+HeapDumpOnOutOfMemoryError\n\n  -Dcassandra.ring_delay_ms=5000  \n", "test"))
                .containsExactly("-XX:+HeapDumpOnOutOfMemoryError", "-Dcassandra.ring_delay_ms=5000");
    }

    @Test
    void optionsTheAgentOwnsAreLeftOut() {
        assertThat(UserJvmOptions.parse("-Dcom.sun.management.jmxremote.authenticate=false\n-Dcassandra.jmx.local.port=7199\n"
                + "-Dcassandra.storagedir=/elsewhere\n-Dcassandra.config=file:///x.yaml\n-javaagent:/x.jar\n-XX:+UseZGC\n", "test"))
                .containsExactly("-XX:+UseZGC");
    }

    @Test
    void theRacksOptionsComeLastOnCassandrasCommandLineSoTheyWin(@TempDir Path user) throws IOException {
        Files.writeString(user.resolve(Contract.UserConfig.JVM_OPTIONS), "-Xmx1G\n-Dcassandra.disable_auth_caches_remote_configuration=true\n");
        AgentSettings settings = new AgentSettings("c-dc1-r1-0", "10.244.0.5", "c", "dc1", "r1", Path.of("/members"), user,
                Path.of("/data"), "512M", "token", "/opt/cassandra/lib/*", List.of("-Dimage=1"), Optional.empty(), "10.244.0.5", 8080,
                Duration.ofSeconds(60), 9500, Path.of("/metrics-config"), Optional.empty(), Optional.empty(), Optional.empty());
        List<String> command = CassandraCommandLine.build("java", settings,
                new ConfigFiles(Path.of("/c/cassandra.yaml"), Path.of("/c/rackdc"), Path.of("/c/logback.xml")),
                new JmxAccess(41234, JmxAccess.USER, "pw", Path.of("/c/pw"), Path.of("/c/access")), Optional.empty(), Optional.empty());

        assertThat(command.subList(command.size() - 5, command.size())).containsExactly("-Xmx1G",
                "-Dcassandra.disable_auth_caches_remote_configuration=true", "-cp", "/opt/cassandra/lib/*", CassandraCommandLine.MAIN_CLASS);
        assertThat(command.indexOf("-Dimage=1")).isLessThan(command.indexOf("-Xmx1G"));
    }

    @Test
    void noKeyNoOptions(@TempDir Path user) {
        assertThat(UserJvmOptions.read(user)).isEmpty();
    }
}
