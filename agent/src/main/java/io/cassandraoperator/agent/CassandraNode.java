package io.cassandraoperator.agent;

import java.util.List;
import java.util.Optional;

/** The operations the agent performs on its Cassandra node; implemented over JMX by {@link JmxCassandraNode}. */
public interface CassandraNode {

    /** Cassandra's operation mode (STARTING, JOINING, NORMAL, LEAVING, DECOMMISSIONED, DRAINING, DRAINED...), empty when unreachable. */
    Optional<String> operationMode();

    NodeStatus status() throws NodeUnreachableException;

    /** Blocks until Cassandra finished or refused the decommission; a refusal is thrown with Cassandra's message. */
    void decommission() throws Exception;

    void drain() throws Exception;

    /** Runs {@code forceKeyspaceCleanup} over every non-system keyspace, one keyspace after the other. */
    void cleanupAllKeyspaces() throws Exception;

    record NodeStatus(String operationMode, String hostId, String broadcastAddress, List<String> liveNodes,
                      List<String> unreachableNodes, List<String> joiningNodes, List<String> leavingNodes,
                      String load) {
    }

    final class NodeUnreachableException extends Exception {
        public NodeUnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
