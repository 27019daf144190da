package io.cassandraoperator.agent.cassandra;

import io.cassandraoperator.api.Contract;

/** The agent's exit code when Cassandra exited on its own: non-zero, and never one of the agent's own reports. */
public final class CassandraExitCode {
    /** What the agent exits with instead of 0 or a code that means something from the agent. */
    static final int REMAPPED = 1;

    private CassandraExitCode() {
    }

    /**
     * 0 would tell the kubelet the container finished; {@link Contract.AgentExit#VOLUME_LOST} would tell the operator
     * to replace the member, and only the agent's own finding may say that (a plugin or Cassandra itself could exit 86).
     */
    public static int asAgentExit(int cassandraExitCode) {
        return cassandraExitCode == 0 || cassandraExitCode == Contract.AgentExit.VOLUME_LOST ? REMAPPED : cassandraExitCode;
    }
}
