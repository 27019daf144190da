package io.cassandraoperator.agent.cassandra;

import java.util.List;

/** What backups and restores ask of the member's Cassandra; implemented over JMX by {@link JmxCassandraNode}. */
public interface SnapshotNode {

    /** The keyspaces a backup without a list covers: all but Cassandra's own (local and replicated system keyspaces). */
    List<String> userKeyspaces() throws Exception;

    /** Flushes and snapshots the keyspaces under {@code tag} (hard links in each table's {@code snapshots/<tag>}). */
    void takeSnapshot(String tag, List<String> keyspaces) throws Exception;

    /** Removes the snapshot {@code tag} from every keyspace; nothing when there is none. */
    void clearSnapshot(String tag) throws Exception;

    /** The tokens this node owns. */
    List<String> tokens() throws Exception;

    /**
     * Loads the SSTables in {@code directory} into the live table ({@code nodetool import}), verifying them and that
     * their tokens belong to this node; returns the directories Cassandra could not import (empty when all went in).
     */
    List<String> importSSTables(String keyspace, String table, String directory) throws Exception;
}
