package io.cassandraoperator.agent.config;

import io.cassandraoperator.agent.cassandra.JmxAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class CassandraConfigDirectoryTest {

    @Test
    void eachStartRendersIntoItsOwnOwnerOnlyDirectoryThatAWipedVolumeDoesNotTouch(@TempDir Path tmp) throws IOException {
        Path volume = Files.createDirectories(tmp.resolve("volume"));
        AgentSettings settings = TestSettings.member("c", "dc1", "r1", "c-dc1-r1-0", "127.0.0.1",
                tmp.resolve("members"), tmp.resolve("user"));

        CassandraConfigDirectory first = CassandraConfigDirectory.create(tmp.resolve("tmp"), "c-dc1-r1-0");
        CassandraConfigDirectory second = CassandraConfigDirectory.create(tmp.resolve("tmp"), "c-dc1-r1-0");
        ConfigFiles files = first.write(settings, "127.0.0.1", List.of("127.0.0.1"), Optional.empty());
        JmxAccess jmx = JmxAccess.create(first.jmxDir());
        try (var entries = Files.list(volume)) {
            entries.forEach(entry -> { throw new AssertionError("written on the data volume: " + entry); });
        }

        assertThat(second.path()).as("one directory per start, so pods sharing /tmp never share files")
                .isNotEqualTo(first.path());
        assertThat(first.path().getFileName().toString()).startsWith("cassandra-agent-c-dc1-r1-0-");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.path()))).isEqualTo("rwx------");
        assertThat(files.cassandraYaml()).startsWith(first.path()).isRegularFile();
        assertThat(jmx.passwordFile()).startsWith(first.path()).isRegularFile();

        first.delete();
        assertThat(first.path()).doesNotExist();
        assertThat(second.path()).isDirectory();
    }
}
