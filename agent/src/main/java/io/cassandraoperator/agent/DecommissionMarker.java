package io.cassandraoperator.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A file on the data volume saying this member left the ring. Cassandra refuses to start on a decommissioned node's
 * data, so a pod restarted before the operator removed it must not start Cassandra at all.
 */
public final class DecommissionMarker {
    public static final String FILE_NAME = "cassandra-operator-decommissioned";

    private final Path file;

    public DecommissionMarker(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    public boolean exists() {
        return Files.exists(file);
    }

    public void write() {
        try {
            Files.writeString(file, "decommissioned at " + Instant.now() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the decommission marker " + file, e);
        }
    }

    public Path file() {
        return file;
    }
}
