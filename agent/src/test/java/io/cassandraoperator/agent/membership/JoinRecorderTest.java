package io.cassandraoperator.agent.membership;

import io.cassandraoperator.agent.cassandra.FakeCassandraNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class JoinRecorderTest {

    @Test
    void recordsTheJoinOnlyOnceCassandraIsNormal(@TempDir Path dataDir) {
        FakeCassandraNode node = new FakeCassandraNode();
        VolumeMarker joined = VolumeMarker.joined(dataDir);
        JoinRecorder recorder = new JoinRecorder(node, joined);

        node.mode = null;
        recorder.recordOnceNormal();
        node.mode = "JOINING";
        recorder.recordOnceNormal();
        assertThat(joined.exists()).isFalse();

        node.mode = "NORMAL";
        recorder.recordOnceNormal();
        assertThat(joined.exists()).isTrue();
    }
}
