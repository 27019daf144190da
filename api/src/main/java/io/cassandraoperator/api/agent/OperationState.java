package io.cassandraoperator.api.agent;

/** Where a node operation (decommission, a cleanup or repair run) stands, as the agent reports it. */
public enum OperationState {
    /** The agent never started it (or, for a run, never started the run with that id). */
    NOT_STARTED,
    RUNNING,
    DONE,
    /** Cassandra refused or aborted it; the report's message is Cassandra's own. */
    FAILED
}
