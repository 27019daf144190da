package io.cassandraoperator.agent.cassandra;

import io.cassandraoperator.api.agent.NodeStatus;

import java.util.List;
import java.util.Optional;

/** The operations the agent performs on its Cassandra node; implemented over JMX by {@link JmxCassandraNode}. */
public interface CassandraNode {

    /** The keyspace of Cassandra's roles, repaired with the others (see {@link #repairAllKeyspaces}). */
    String AUTH_KEYSPACE = "system_auth";

    /** Cassandra's operation mode (STARTING, JOINING, NORMAL, LEAVING, DECOMMISSIONED, DRAINING, DRAINED...), empty when unreachable. */
    Optional<String> operationMode();

    NodeStatus status() throws NodeUnreachableException;

    /** Blocks until Cassandra finished or refused the decommission; a refusal is thrown with Cassandra's message. */
    void decommission() throws Exception;

    void drain() throws Exception;

    /** Has Cassandra read its keystores and truststores again ({@code nodetool reloadssl}): new certificates, no restart. */
    void reloadSslCertificates() throws Exception;

    /** Has Cassandra's gossip read the seeds from cassandra.yaml again; returns the seeds it now uses. */
    List<String> reloadSeeds() throws Exception;

    /** Runs {@code forceKeyspaceCleanup} over every non-system keyspace, one keyspace after the other. */
    void cleanupAllKeyspaces() throws Exception;

    /**
     * Runs a full (not incremental, not primary-range-only) repair of every range this node replicates, for every
     * non-system keyspace and for {@code system_auth}, one keyspace after the other; blocks until Cassandra reports each one finished.
     */
    void repairAllKeyspaces() throws Exception;

    /** A full repair of one keyspace's ranges on this node; blocks until Cassandra reports it finished. */
    void repairKeyspace(String keyspace) throws Exception;

    /** The data this node holds on disk. */
    Load load() throws NodeUnreachableException;

    /** Cassandra's LoadString (e.g. "1.2 MiB") and the bytes it stands for (the Storage Load metric). */
    record Load(String text, long bytes) {
    }

    final class NodeUnreachableException extends Exception {
        public NodeUnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
