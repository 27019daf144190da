package io.cassandraoperator.agent.membership;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class JoinRecorderTest {

    @Test
    void writesTheMarkerOnceAndLeavesAnExistingOneAlone(@TempDir Path dataDir) throws Exception {
        VolumeMarker joined = VolumeMarker.joined(dataDir);
        JoinRecorder recorder = new JoinRecorder(joined);

        recorder.run();
        assertThat(joined.exists()).isTrue();
        String first = Files.readString(joined.file());
        Thread.sleep(5);
        recorder.run();
        assertThat(Files.readString(joined.file())).as("the time of the first join stays").isEqualTo(first);
    }
}
