package io.cassandraoperator.agent.membership;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LostVolumeTest {
    @Test
    void aVolumeThatNeverJoinedAndHeldNoDataIsReported() {
        assertThat(LostVolume.mayReport(false, false, true, false)).isTrue();
    }

    @Test
    void aVolumeThatJoinedIsNeverReported() {
        assertThat(LostVolume.mayReport(true, false, true, false)).isFalse();
        assertThat(LostVolume.mayReport(true, false, false, true)).isFalse();
    }

    @Test
    void aReplacementInProgressIsNeverReported() {
        assertThat(LostVolume.mayReport(false, true, true, false)).isFalse();
        assertThat(LostVolume.mayReport(false, true, false, true)).isFalse();
    }

    @Test
    void anInterruptedFirstBootstrapIsNotReportedButAnEarlierReportIsRepeated() {
        assertThat(LostVolume.mayReport(false, false, false, false)).as("system tables of an interrupted bootstrap").isFalse();
        assertThat(LostVolume.mayReport(false, false, false, true)).as("restarts after a report").isTrue();
    }

    @Test
    void onlyAnEmptyOrMissingCassandraDataDirectoryHoldsNoData(@TempDir Path volume) throws IOException {
        assertThat(LostVolume.holdsNoCassandraData(volume)).isTrue();
        Files.createDirectories(volume.resolve("conf"));
        Files.createDirectories(volume.resolve("data"));
        assertThat(LostVolume.holdsNoCassandraData(volume)).as("the agent's own conf/ is not Cassandra data").isTrue();
        Files.createDirectories(volume.resolve("data/system"));
        assertThat(LostVolume.holdsNoCassandraData(volume)).isFalse();
    }
}
