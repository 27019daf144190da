package io.cassandraoperator.agent.membership;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Recognises a member whose disk was lost under a pod that restarted: its volume never joined the ring (no
 * {@link VolumeMarker#JOINED}) and held no Cassandra data when the agent started, yet Cassandra refuses to start
 * because the ring already knows the member's address. Cassandra refuses so when it would bootstrap under an address
 * the ring knows, or when the volume's host ID is not the one the ring knows for it; the joined marker rules the
 * latter out, so the volume holds nothing the ring needs. The refusal itself is recognised by
 * {@link io.cassandraoperator.agent.cassandra.StartupRefusals}, which a CQL user's text cannot fool.
 * <p>
 * The empty volume matters: a new member whose first bootstrap was interrupted by a graceful stop restarts on the
 * system tables of its first attempt, and Cassandra refuses it for a while too (its address is in gossip as shut
 * down, without tokens); replacing such a member could not work, so it is not reported and crash-loops until gossip
 * forgets it, as before. A report is remembered on the volume ({@link VolumeMarker#LOST}): the restarts after it no
 * longer start on an empty volume, and the operator must keep seeing the exit code until it replaced the member. Never
 * while replacing: then the refusal cannot mean a lost disk.
 */
public final class LostVolume {
    private LostVolume() {
    }

    /** Whether this start reports a lost volume should Cassandra refuse to join because the ring knows its address. */
    public static boolean mayReport(boolean volumeJoined, boolean replacing, boolean noCassandraDataAtStart, boolean reportedBefore) {
        return !volumeJoined && !replacing && (noCassandraDataAtStart || reportedBefore);
    }

    /** Whether Cassandra's data directory ({@code <data dir>/data}, as the rendered cassandra.yaml says) is missing or empty. */
    public static boolean holdsNoCassandraData(Path dataDir) {
        Path data = dataDir.resolve("data");
        if (!Files.isDirectory(data)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(data)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
