package io.cassandraoperator.agent.cassandra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class NodetoolOptionsTest {

    @Test
    void theImagesNodetoolGetsThisStartsPortAndAPasswordFileInItsOwnFormatBothOwnerOnly(@TempDir Path dir)
            throws IOException {
        JmxAccess jmx = JmxAccess.create(dir.resolve("jmx"));
        NodetoolOptions options = NodetoolOptions.write(jmx, dir.resolve("pod-0.nodetool"));

        assertThat(Files.readString(options.file())).isEqualTo("-h 127.0.0.1 -p " + jmx.port() + " -u "
                + JmxAccess.USER + " -pwf " + options.passwordFile() + "\n");
        assertThat(Files.readString(options.passwordFile())).isEqualTo(JmxAccess.USER + " " + jmx.password() + "\n");
        assertThat(options.passwordFile()).isNotEqualTo(jmx.passwordFile());
        for (Path file : new Path[]{options.file(), options.passwordFile()}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }

        options.delete();
        assertThat(options.file()).doesNotExist();
        assertThat(options.passwordFile()).doesNotExist();
    }

    @Test
    void theOptionsFileIsThePodsOwnInTmpAsTheImagesScriptReadsIt() throws IOException {
        assertThat(NodetoolOptions.fileOf("cassandra-dc1-rack1-0"))
                .isEqualTo(Path.of("/tmp/cassandra-agent-cassandra-dc1-rack1-0.nodetool"));
        assertThat(Files.readString(Path.of("src/image/bin/nodetool")))
                .contains("options=\"/tmp/cassandra-agent-${POD_NAME}.nodetool\"");
    }
}
