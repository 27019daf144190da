package io.cassandraoperator.agent;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LostVolumeTest {
    /** As Cassandra 5.0 prints it (seen in the local runtime's pod log after wipe-disk and a restart). */
    private static final String REFUSAL = "Exception (java.lang.RuntimeException) encountered during startup: A node with address "
            + "/127.0.2.3:7000 already exists, cancelling join. Use cassandra.replace_address if you want to replace this node.";

    @Test
    void theRingKnowingTheAddressOfAVolumeThatNeverJoinedMeansTheDiskWasLost() {
        assertThat(LostVolume.shows(REFUSAL, false, false)).isTrue();
    }

    @Test
    void aVolumeThatJoinedIsNeverTakenForLost() {
        assertThat(LostVolume.shows(REFUSAL, true, false)).isFalse();
    }

    @Test
    void aReplacementInProgressIsNotALostDisk() {
        assertThat(LostVolume.shows(REFUSAL, false, true)).isFalse();
    }

    @Test
    void otherStartupErrorsAreNotALostDisk() {
        assertThat(LostVolume.shows("Exception encountered during startup: Unable to gossip with any peers", false, false)).isFalse();
        assertThat(LostVolume.shows(AgentMain.DECOMMISSIONED_REFUSAL, false, false)).isFalse();
    }
}
