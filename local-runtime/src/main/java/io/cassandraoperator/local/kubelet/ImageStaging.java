package io.cassandraoperator.local.kubelet;

import org.apache.commons.io.file.PathUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Makes an image readable by a container's user: an image whose files lie where others cannot reach them (a clone
 * under {@code /root}, a 0700 temporary directory) is copied once into {@code <state>/images/<content hash>},
 * world-readable and owned by the runtime, and run from there. The copy is keyed by the content (every file's path and
 * bytes), so a rebuilt image gets a new copy and an unchanged one is reused across runtime restarts.
 */
final class ImageStaging {
    private static final Logger LOG = LoggerFactory.getLogger(ImageStaging.class);

    private final Path imagesDirectory;
    private final Map<Path, LocalImage> staged = new ConcurrentHashMap<>();

    ImageStaging(Path stateDirectory) {
        this.imagesDirectory = stateDirectory.resolve("images");
    }

    /** The image itself when others can read it (or it names no files), else its staged copy. */
    LocalImage readable(LocalImage image) {
        if (image.root() == null) {
            return image;
        }
        Path root = image.root().toAbsolutePath().normalize();
        Optional<Path> blocked = Traversal.blockedAt(root);
        if (blocked.isEmpty()) {
            return image;
        }
        return staged.computeIfAbsent(root, r -> {
            Path copy = stage(r);
            LOG.info("image {} is not readable by containers' users ({} is not searchable by others): running the"
                    + " copy {}", r, blocked.get(), copy);
            return image.relocated(r, copy);
        });
    }

    private Path stage(Path root) {
        try {
            Path target = imagesDirectory.resolve(contentHash(root));
            if (Files.isDirectory(target)) {
                return target;
            }
            Files.createDirectories(imagesDirectory);
            Traversal.open(imagesDirectory.getParent(), imagesDirectory);
            Path partial = Files.createTempDirectory(imagesDirectory, ".partial-");
            try {
                copyWorldReadable(root, partial);
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                if (Files.exists(partial)) {
                    PathUtils.deleteDirectory(partial);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("staging image " + root + " failed", e);
        }
    }

    private static void copyWorldReadable(Path from, Path to) throws IOException {
        List<Path> sources;
        try (Stream<Path> walk = Files.walk(from)) {
            sources = walk.toList();
        }
        for (Path source : sources) {
            Path target = to.resolve(from.relativize(source).toString());
            if (Files.isDirectory(source)) {
                Files.createDirectories(target);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
            } else {
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(
                        Files.isExecutable(source) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    /** SHA-256 over every regular file's relative path and bytes, in path order. */
    static String contentHash(Path root) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        byte[] buffer = new byte[1 << 16];
        for (Path file : files) {
            digest.update(root.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            try (InputStream in = Files.newInputStream(file)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest()).substring(0, 32);
    }
}
