package io.cassandraoperator.local.apiserver.storage;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Keeps the API's objects on disk, so the runtime comes back after {@code down}/{@code up} with the same objects
 * (uids, resourceVersions and Service ClusterIPs included). Writes are debounced: one snapshot a short while after a
 * burst of changes, and a last one on close. Each snapshot replaces the previous file atomically.
 */
final class SnapshotFile implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotFile.class);
    private static final ObjectMapper JSON = Serialization.jsonMapper();
    private static final long DEBOUNCE_MILLIS = 300;

    private final Path file;
    private final Supplier<List<StoredObject>> objects;
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "api-snapshots");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean pending = new AtomicBoolean();

    SnapshotFile(Path file, Supplier<List<StoredObject>> objects) {
        this.file = file;
        this.objects = objects;
    }

    /** The objects of the last snapshot, or none when there is no snapshot yet. */
    List<StoredObject> read() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return JSON.readValue(file.toFile(), new TypeReference<List<StoredObject>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API snapshot " + file, e);
        }
    }

    /** Schedules a snapshot, unless one is already due. */
    void changed() {
        if (pending.compareAndSet(false, true)) {
            writer.schedule(this::write, DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void write() {
        pending.set(false);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            // Owner-only: the objects include every Secret, and containers' users may traverse the state directory.
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            JSON.writeValue(tmp.toFile(), objects.get());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            LOG.error("writing the API snapshot {} failed; the next change retries", file, e);
        }
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        write();
    }
}
