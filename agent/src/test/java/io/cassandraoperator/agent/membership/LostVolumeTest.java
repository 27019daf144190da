package io.cassandraoperator.agent.membership;

import io.cassandraoperator.agent.AgentMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LostVolumeTest {
    /** As Cassandra 5.0 prints it (seen in the local runtime's pod log after wipe-disk and a restart). */
    private static final String REFUSAL = "Exception (java.lang.RuntimeException) encountered during startup: A node with address "
            + "/127.0.2.3:7000 already exists, cancelling join. Use cassandra.replace_address if you want to replace this node.";

    @Test
    void cassandrasRefusalToJoinUnderAKnownAddressIsRecognised() {
        assertThat(LostVolume.isRefusal(REFUSAL)).isTrue();
        assertThat(LostVolume.isRefusal("Exception encountered during startup: Unable to gossip with any peers")).isFalse();
        assertThat(LostVolume.isRefusal(AgentMain.DECOMMISSIONED_REFUSAL)).isFalse();
    }

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
