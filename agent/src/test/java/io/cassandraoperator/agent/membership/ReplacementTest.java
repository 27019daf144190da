package io.cassandraoperator.agent.membership;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReplacementTest {
    private static final Membership REPLACE = new Membership("10.96.0.12", List.of("10.96.0.10"), true);

    @Test
    void anEmptyDiskWithAReplaceRequestReplacesUnderTheMembersOwnAddress(@TempDir Path dataDir) {
        assertThat(Replacement.addressToReplace(REPLACE, VolumeMarker.joined(dataDir))).contains("10.96.0.12");
    }

    @Test
    void aReplacementInterruptedHalfWayResumesAsAReplacement(@TempDir Path dataDir) throws IOException {
        Files.createDirectories(dataDir.resolve("data").resolve("system"));

        assertThat(Replacement.addressToReplace(REPLACE, VolumeMarker.joined(dataDir))).contains("10.96.0.12");
    }

    @Test
    void aVolumeThatJoinedTheRingIsNeverStartedAsAReplacement(@TempDir Path dataDir) throws IOException {
        Files.createDirectories(dataDir.resolve("data").resolve("system"));
        VolumeMarker.joined(dataDir).write();

        assertThat(Replacement.addressToReplace(REPLACE, VolumeMarker.joined(dataDir))).isEmpty();
    }

    @Test
    void noRequestNoReplacement(@TempDir Path dataDir) {
        assertThat(Replacement.addressToReplace(new Membership("10.96.0.12", List.of("10.96.0.10"), false),
                VolumeMarker.joined(dataDir))).isEmpty();
    }
}
