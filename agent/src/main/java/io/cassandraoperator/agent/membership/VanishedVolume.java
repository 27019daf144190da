package io.cassandraoperator.agent.membership;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Decides whether the data volume vanished under a running Cassandra (#23): wiped, or another disk mounted in its
 * place, while Cassandra kept serving and began writing into recreated directories. Watched once Cassandra reached
 * NORMAL on a volume with the {@link VolumeMarker#JOINED} marker, and armed once the volume was seen holding an SSTable
 * of {@code system.local} (Cassandra flushes it when it records its bootstrap, and compaction writes the new SSTable
 * before it deletes the old ones, so a joined node always has one). From then on two facts must both be true, at two
 * looks in a row, before the volume counts as lost:
 * <ul>
 *   <li>the agent's own joined marker is gone (nothing but a wipe removes it; the agent writes it once, at NORMAL), and</li>
 *   <li>no SSTable of {@code system.local} is left on the volume (directories Cassandra recreated after a wipe hold none).</li>
 * </ul>
 * One fact alone is not enough: a deleted marker with Cassandra's data in place is left to a person, since a lost volume
 * leads to the member's replacement, which replaces its claim.
 */
public final class VanishedVolume {
    /** Looks in a row that must find the volume gone. */
    static final int CONFIRMATIONS = 2;

    private final VolumeMarker joined;
    private final Path systemKeyspaceDir;
    private boolean armed;
    private int lookedGone;

    private VanishedVolume(VolumeMarker joined, Path systemKeyspaceDir) {
        this.joined = joined;
        this.systemKeyspaceDir = systemKeyspaceDir;
    }

    /** Watches a volume that joined the ring; empty (nothing to watch) when it carries no joined marker. */
    public static Optional<VanishedVolume> watch(Path dataDir) {
        VolumeMarker joined = VolumeMarker.joined(dataDir);
        if (!joined.exists()) {
            return Optional.empty();
        }
        return Optional.of(new VanishedVolume(joined, dataDir.resolve("data").resolve("system")));
    }

    /** One look at the volume: the evidence once it was found gone {@link #CONFIRMATIONS} times in a row. */
    public synchronized Optional<String> look() {
        boolean localTable = holdsLocalSystemTable();
        if (!armed) {
            armed = localTable && joined.exists();
            return Optional.empty();
        }
        if (joined.exists() || localTable) {
            lookedGone = 0;
            return Optional.empty();
        }
        lookedGone++;
        if (lookedGone < CONFIRMATIONS) {
            return Optional.empty();
        }
        return Optional.of(joined.file() + " is gone and no SSTable of system.local is left under " + systemKeyspaceDir
                + ", at " + lookedGone + " looks in a row");
    }

    boolean armed() {
        return armed;
    }

    private boolean holdsLocalSystemTable() {
        try (Stream<Path> tables = Files.list(systemKeyspaceDir)) {
            return tables.filter(table -> table.getFileName().toString().startsWith("local-"))
                    .anyMatch(VanishedVolume::holdsAnSSTable);
        } catch (IOException e) {
            // Missing or unreadable: as gone as it gets for this look; the next look decides again.
            return false;
        }
    }

    private static boolean holdsAnSSTable(Path tableDir) {
        try (Stream<Path> files = Files.list(tableDir)) {
            return files.anyMatch(file -> file.getFileName().toString().endsWith("-Data.db"));
        } catch (IOException e) {
            return false;
        }
    }
}
