package io.cassandraoperator.agent.cassandra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class JmxAccessTest {

    @Test
    void aFreshPasswordOnEveryStartReadableByTheOwnerOnly(@TempDir Path dir) throws IOException {
        JmxAccess first = JmxAccess.create(dir);
        JmxAccess second = JmxAccess.create(dir);

        assertThat(second.password()).isNotEqualTo(first.password()).hasSizeGreaterThanOrEqualTo(32);
        assertThat(Files.readString(second.passwordFile())).isEqualTo(JmxAccess.USER + " " + second.password() + "\n");
        assertThat(Files.readString(second.accessFile())).isEqualTo(JmxAccess.USER + " readwrite\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(second.passwordFile())))
                .isEqualTo("rw-------");
        assertThat(second.port()).isPositive();
        assertThat(second.toString()).doesNotContain(second.password());
    }
}
