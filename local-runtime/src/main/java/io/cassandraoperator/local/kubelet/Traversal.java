package io.cassandraoperator.local.kubelet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a user other than the owner can reach a path (search permission on every directory from {@code /} down), and
 * the kubelet opening the directories it owns (its state directory down to a volume) for traversal only, as a kubelet's
 * {@code /var/lib/kubelet/pods/...} lets a container's user reach its volumes without listing anything else.
 */
final class Traversal {
    private Traversal() {
    }

    /** The first directory on the way to {@code path} (itself included) that others may not search, if any. */
    static Optional<Path> blockedAt(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path current = absolute.getRoot();
        for (Path name : absolute) {
            if (!searchableByOthers(current)) {
                return Optional.of(current);
            }
            current = current.resolve(name);
        }
        return Files.isDirectory(current) && !searchableByOthers(current) ? Optional.of(current) : Optional.empty();
    }

    /** Adds search permission for others to {@code base} and every directory from it down to {@code directory}. */
    static void open(Path base, Path directory) {
        Path from = base.toAbsolutePath().normalize();
        Path to = directory.toAbsolutePath().normalize();
        if (!to.startsWith(from)) {
            return;
        }
        Path current = from;
        allowSearch(current);
        for (Path name : from.relativize(to)) {
            if (name.toString().isEmpty()) {
                continue;
            }
            current = current.resolve(name);
            allowSearch(current);
        }
    }

    private static boolean searchableByOthers(Path directory) {
        try {
            return Files.getPosixFilePermissions(directory).contains(PosixFilePermission.OTHERS_EXECUTE);
        } catch (IOException e) {
            return false;
        }
    }

    private static void allowSearch(Path directory) {
        try {
            Set<PosixFilePermission> permissions = new HashSet<>(Files.getPosixFilePermissions(directory));
            if (permissions.add(PosixFilePermission.OTHERS_EXECUTE)) {
                Files.setPosixFilePermissions(directory, permissions);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
