package io.cassandraoperator.agent.cassandra;

/** Cassandra's operation modes (StorageService.OperationMode) the agent acts on. */
public final class OperationMode {
    public static final String NORMAL = "NORMAL";
    public static final String LEAVING = "LEAVING";
    public static final String DECOMMISSIONED = "DECOMMISSIONED";
    /**
     * Cassandra 5.0 enters this mode whenever a decommission throws, also when it refused to start one (too few nodes
     * for a keyspace's replication factor): the node is still a full member and serves clients.
     */
    public static final String DECOMMISSION_FAILED = "DECOMMISSION_FAILED";

    private OperationMode() {
    }

    /** Whether the node reached NORMAL in this process: NORMAL, or a mode a node only gets to from NORMAL. */
    public static boolean isRingMember(String mode) {
        return isServing(mode) || LEAVING.equals(mode) || DECOMMISSIONED.equals(mode);
    }

    /** Whether the node is a ring member serving clients (ready; drained before it is stopped). */
    public static boolean isServing(String mode) {
        return NORMAL.equals(mode) || DECOMMISSION_FAILED.equals(mode);
    }
}
