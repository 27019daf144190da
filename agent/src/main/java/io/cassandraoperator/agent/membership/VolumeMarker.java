package io.cassandraoperator.agent.membership;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A file on the data volume recording a fact about the Cassandra data on it; it goes when the volume is wiped, which
 * is exactly when the fact stops being true.
 */
public final class VolumeMarker {
    /** This member left the ring: Cassandra refuses to start on this data, so the agent does not start it. */
    public static final String DECOMMISSIONED = "cassandra-operator-decommissioned";
    /**
     * The agent asked Cassandra to decommission this data. Cassandra's refusal to start on decommissioned data counts
     * as the decommission finished only on a volume with this marker: the refusal is read from Cassandra's output,
     * and the agent's own request is the fact that makes it believable.
     */
    public static final String DECOMMISSION_STARTED = "cassandra-operator-decommission-started";
    /**
     * The cluster's own superuser role was ensured, and the default one disabled, on this data: a start without it as
     * the cluster's only seed is a founding start ({@link io.cassandraoperator.agent.auth.FoundingStart}).
     */
    public static final String SUPERUSER_ENSURED = "cassandra-operator-superuser-ensured";
    /** This data joined the ring (Cassandra reached NORMAL on it): it never bootstraps again. */
    public static final String JOINED = "cassandra-operator-joined";

    /**
     * This volume was found empty under an address the ring knows (see {@link LostVolume}): reported to the operator,
     * which replaces the member on a new volume.
     */
    public static final String LOST = "cassandra-operator-lost";

    private final Path file;

    private VolumeMarker(Path file) {
        this.file = file;
    }

    public static VolumeMarker decommissioned(Path dataDir) {
        return new VolumeMarker(dataDir.resolve(DECOMMISSIONED));
    }

    public static VolumeMarker decommissionStarted(Path dataDir) {
        return new VolumeMarker(dataDir.resolve(DECOMMISSION_STARTED));
    }

    public static VolumeMarker superuserEnsured(Path dataDir) {
        return new VolumeMarker(dataDir.resolve(SUPERUSER_ENSURED));
    }

    public static VolumeMarker joined(Path dataDir) {
        return new VolumeMarker(dataDir.resolve(JOINED));
    }

    public static VolumeMarker lost(Path dataDir) {
        return new VolumeMarker(dataDir.resolve(LOST));
    }

    public boolean exists() {
        return Files.exists(file);
    }

    public void write() {
        try {
            Files.writeString(file, Instant.now() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the marker " + file, e);
        }
    }

    public Path file() {
        return file;
    }
}
