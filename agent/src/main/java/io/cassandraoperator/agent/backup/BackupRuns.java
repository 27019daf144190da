package io.cassandraoperator.agent.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cassandraoperator.agent.backup.SnapshotFiles.SnapshotFile;
import io.cassandraoperator.agent.cassandra.OperationFailure;
import io.cassandraoperator.agent.cassandra.SnapshotNode;
import io.cassandraoperator.api.agent.BackupReport;
import io.cassandraoperator.api.agent.BackupRequest;
import io.cassandraoperator.api.agent.MemberManifest;
import io.cassandraoperator.api.agent.MemberManifest.StoredFile;
import io.cassandraoperator.api.agent.OperationState;
import io.cassandraoperator.api.backup.StoreLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * This member's backup runs, one at a time. A run snapshots while the operator's {@code POST} waits (the operator asks
 * every member at once, so the snapshots are as close together as the calls), then uploads in the background: each
 * file's SHA-256 names its key, a key the store already holds is referenced and not uploaded again, and the member's
 * manifest is stored only after every file it names, so a run is DONE exactly when its manifest exists. The snapshot
 * is cleared when the run ends either way. A DONE run is kept on the data volume, so a restarted agent reports it and
 * never runs it again; a run a restart interrupted is reported NOT_STARTED.
 */
public final class BackupRuns {
    private static final Logger LOG = LoggerFactory.getLogger(BackupRuns.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a start request did: started the run, found the run with that id, or found another run running. */
    public enum Outcome { STARTED, EXISTING, BUSY }

    public record StartResult(Outcome outcome, BackupReport report) {
    }

    /** Who the member is, for its manifest. */
    public record MemberIdentity(String member, String datacenter, String rack) {
    }

    private final SnapshotNode node;
    private final Path cassandraData;
    private final Path finishedRuns;
    private final MemberIdentity identity;
    private final Function<BackupRequest, ObjectStore> stores;
    private BackupReport current;

    /**
     * @param cassandraData Cassandra's data directory ({@code <volume>/data})
     * @param finishedRuns  the directory on the data volume that keeps the DONE runs
     * @param stores        opens the store a request names
     */
    public BackupRuns(SnapshotNode node, Path cassandraData, Path finishedRuns, MemberIdentity identity,
                      Function<BackupRequest, ObjectStore> stores) {
        this.node = node;
        this.cassandraData = cassandraData;
        this.finishedRuns = finishedRuns;
        this.identity = identity;
        this.stores = stores;
    }

    public static BackupRuns onVolume(SnapshotNode node, Path volume, MemberIdentity identity) {
        return new BackupRuns(node, volume.resolve("data"), volume.resolve("cassandra-operator-backups"), identity,
                request -> new ObjectStore(request.store()));
    }

    public synchronized BackupReport report(String id) {
        if (current != null && current.id().equals(id)) {
            return current;
        }
        return readFinished(id).orElse(BackupReport.notStarted(id));
    }

    public synchronized StartResult start(BackupRequest request) {
        if (current != null && current.state() == OperationState.RUNNING) {
            return current.id().equals(request.id()) ? new StartResult(Outcome.EXISTING, current)
                    : new StartResult(Outcome.BUSY, current);
        }
        Optional<BackupReport> finished = readFinished(request.id());
        if (finished.isPresent()) {
            LOG.info("Backup {} requested; it finished before, not running it again", request.id());
            return new StartResult(Outcome.EXISTING, finished.get());
        }
        ObjectStore store = null;
        List<String> keyspaces;
        try {
            store = stores.apply(request);
            store.checkBucket();
            keyspaces = request.keyspaces().isEmpty() ? node.userKeyspaces() : request.keyspaces();
            node.takeSnapshot(request.snapshotTag(), keyspaces);
            LOG.info("Backup {}: snapshot {} of {} taken", request.id(), request.snapshotTag(), keyspaces);
        } catch (Exception e) {
            if (store != null) {
                store.close();
            }
            current = failed(request.id(), failureMessage(e), null);
            LOG.warn("Backup {} not started: {}", request.id(), current.message());
            return new StartResult(Outcome.STARTED, current);
        }
        current = new BackupReport(request.id(), OperationState.RUNNING, null, null, null, 0L, null);
        ObjectStore opened = store;
        Thread upload = new Thread(() -> upload(request, keyspaces, opened), "backup-" + request.id());
        upload.setDaemon(true);
        upload.start();
        return new StartResult(Outcome.STARTED, current);
    }

    private void upload(BackupRequest request, List<String> keyspaces, ObjectStore store) {
        BackupReport outcome;
        try (store) {
            outcome = uploadSnapshot(request, keyspaces, store);
            writeFinished(outcome);
            LOG.info("Backup {} done: {} files, {} bytes, {} uploaded; manifest {}", request.id(), outcome.files(),
                    outcome.bytes(), outcome.bytesUploaded(), outcome.manifestKey());
        } catch (Exception e) {
            outcome = failed(request.id(), failureMessage(e), current);
            LOG.warn("Backup {} failed: {}", request.id(), outcome.message());
            LOG.debug("Backup {} failure", request.id(), e);
        }
        try {
            node.clearSnapshot(request.snapshotTag());
        } catch (Exception e) {
            LOG.warn("Backup {}: could not clear snapshot {} ({}); it holds disk space until cleared",
                    request.id(), request.snapshotTag(), OperationFailure.message(e));
        }
        synchronized (this) {
            current = outcome;
        }
    }

    private BackupReport uploadSnapshot(BackupRequest request, List<String> keyspaces, ObjectStore store) throws Exception {
        List<SnapshotFile> files = SnapshotFiles.list(cassandraData, request.snapshotTag(), keyspaces);
        long total = files.stream().mapToLong(file -> size(file.path())).sum();
        UploadThrottle throttle = new UploadThrottle(request.bytesPerSecond());
        List<StoredFile> stored = new ArrayList<>();
        long uploaded = 0;
        for (SnapshotFile file : files) {
            long size = size(file.path());
            String sha256 = SnapshotFiles.sha256(file.path());
            String key = StoreLayout.contentKey(request.keyPrefix(), sha256);
            Optional<Long> existing = store.size(key);
            if (existing.isPresent() && existing.get() != size) {
                throw new IllegalStateException("the store holds " + key + " with " + existing.get()
                        + " bytes, but its content (" + file.path() + ") has " + size + ": the stored object is damaged");
            }
            if (existing.isEmpty()) {
                store.putFile(key, () -> open(throttle, file.path()), size, sha256);
                uploaded += size;
            }
            stored.add(new StoredFile(file.keyspace(), file.table(), file.tableDirectory(),
                    file.path().getFileName().toString(), size, sha256, key));
            synchronized (this) {
                current = new BackupReport(request.id(), OperationState.RUNNING, null, files.size(), total, uploaded, null);
            }
        }
        MemberManifest manifest = new MemberManifest(MemberManifest.FORMAT, request.id(), request.snapshotTag(),
                identity.member(), identity.datacenter(), identity.rack(), node.tokens(), Instant.now().toString(), stored);
        store.putBytes(request.manifestKey(), JSON.writeValueAsBytes(manifest), "application/json");
        return new BackupReport(request.id(), OperationState.DONE, null, files.size(), total, uploaded, request.manifestKey());
    }

    private static InputStream open(UploadThrottle throttle, Path file) {
        try {
            return throttle.wrap(Files.newInputStream(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + file, e);
        }
    }

    /** The store's refusal as worded for the user; Cassandra's own message otherwise (JMX wraps it). */
    private static String failureMessage(Exception e) {
        return e instanceof ObjectStore.StoreRefusedException ? e.getMessage() : OperationFailure.message(e);
    }

    private static BackupReport failed(String id, String message, BackupReport progress) {
        return new BackupReport(id, OperationState.FAILED, message, progress == null ? null : progress.files(),
                progress == null ? null : progress.bytes(), progress == null ? null : progress.bytesUploaded(), null);
    }

    private Path finishedFile(String id) {
        return finishedRuns.resolve(id.replaceAll("[^A-Za-z0-9._-]", "_") + ".json");
    }

    private Optional<BackupReport> readFinished(String id) {
        Path file = finishedFile(id);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), BackupReport.class));
        } catch (IOException e) {
            LOG.warn("Ignoring the unreadable record {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    private void writeFinished(BackupReport finished) throws IOException {
        // Written aside and moved: a crash mid-write must not leave a record that forgets the finished run.
        Files.createDirectories(finishedRuns);
        Path file = finishedFile(finished.id());
        Path partial = Files.createTempFile(finishedRuns, file.getFileName() + ".", ".partial");
        Files.write(partial, JSON.writeValueAsBytes(finished));
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
