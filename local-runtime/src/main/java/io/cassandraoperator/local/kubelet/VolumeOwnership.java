package io.cassandraoperator.local.kubelet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A pod's fsGroup applied to one of its volumes, as the kubelet's {@code SetVolumeOwnership} does: every file and
 * directory gets the group, group read (and write unless the volume is read-only, as Secrets and ConfigMaps are), and
 * directories the setgid bit and group search, so what the container creates stays in the group. Modes are only ever
 * widened for the group: a Secret's tight {@code defaultMode} stays closed to others.
 */
final class VolumeOwnership {
    private static final int GROUP_READ_WRITE = 0660;
    private static final int GROUP_READ = 0440;
    private static final int GROUP_SEARCH = 0110;
    private static final int SET_GROUP_ID = 02000;

    private VolumeOwnership() {
    }

    static void apply(Path volume, long fsGroup, boolean readOnly) {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(volume)) {
            paths = walk.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path path : paths) {
            try {
                if (Files.isSymbolicLink(path)) {
                    continue;
                }
                if (((Number) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS)).longValue() != fsGroup) {
                    Files.setAttribute(path, "unix:gid", (int) fsGroup, LinkOption.NOFOLLOW_LINKS);
                }
                int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
                int wanted = mode | (readOnly ? GROUP_READ : GROUP_READ_WRITE)
                        | (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? SET_GROUP_ID | GROUP_SEARCH : 0);
                if (wanted != mode) {
                    Files.setAttribute(path, "unix:mode", wanted, LinkOption.NOFOLLOW_LINKS);
                }
            } catch (java.nio.file.NoSuchFileException gone) {
                // Removed by the container since the walk: nothing to own.
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
