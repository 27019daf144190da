package io.cassandraoperator.agent.cassandra;

import io.cassandraoperator.api.Contract;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CassandraExitCodeTest {

    @Test
    void onlyTheAgentsOwnReportReadsAsALostVolume() {
        assertThat(CassandraExitCode.asAgentExit(Contract.AgentExit.VOLUME_LOST)).isNotEqualTo(Contract.AgentExit.VOLUME_LOST)
                .isEqualTo(CassandraExitCode.REMAPPED);
    }

    @Test
    void zeroBecomesAFailureAndOtherCodesPassThrough() {
        assertThat(CassandraExitCode.asAgentExit(0)).isEqualTo(CassandraExitCode.REMAPPED);
        assertThat(CassandraExitCode.asAgentExit(3)).isEqualTo(3);
        assertThat(CassandraExitCode.asAgentExit(137)).isEqualTo(137);
    }
}
