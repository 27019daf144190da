package io.cassandraoperator.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whether this start replaces a dead member under its address. Cassandra honours
 * {@code replace_address_first_boot} only on a node's first boot; the agent also asks for it only when Cassandra's
 * data directory is empty, so a member that already holds data is never started as a replacement.
 */
public final class Replacement {
    private Replacement() {
    }

    /** The address to replace, or empty for an ordinary start. */
    public static Optional<String> addressToReplace(Membership membership, Path dataDir) {
        if (!membership.replaceRequested() || !isEmptyDirectory(dataDir.resolve("data"))) {
            return Optional.empty();
        }
        return Optional.of(membership.broadcastAddress());
    }

    private static boolean isEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
