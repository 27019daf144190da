package io.cassandraoperator.agent.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cassandraoperator.agent.cassandra.OperationFailure;
import io.cassandraoperator.agent.cassandra.SnapshotNode;
import io.cassandraoperator.api.agent.MemberManifest;
import io.cassandraoperator.api.agent.MemberManifest.StoredFile;
import io.cassandraoperator.api.agent.OperationState;
import io.cassandraoperator.api.agent.RestoreReport;
import io.cassandraoperator.api.agent.RestoreRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * This member's in-place restore runs, one at a time: read the member's manifest, download the SSTable files of the
 * chosen tables into a staging directory on the data volume, verify every one against its SHA-256, and only when all
 * of them are whole import them table by table with Cassandra's own import over JMX (the node keeps serving; nothing
 * restarts). A file that fails its checksum fails the run naming it, before anything is imported. The staging
 * directory is removed when the run ends either way.
 */
public final class RestoreRuns {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreRuns.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** An SSTable component ({@code nb-1-big-Data.db}, {@code da-3gal_0ufr_...-bti-Partitions.db}); not schema.cql or manifest.json. */
    private static final Pattern SSTABLE_COMPONENT = Pattern.compile("^[a-z]{2}-[^-]+-(big|bti)-[A-Za-z0-9]+\\.[a-z0-9]+$");

    /** What a start request did, as for a backup run. */
    public enum Outcome { STARTED, EXISTING, BUSY }

    public record StartResult(Outcome outcome, RestoreReport report) {
    }

    private final SnapshotNode node;
    private final Path staging;
    private final Function<RestoreRequest, ObjectStore> stores;
    private RestoreReport current;

    /** @param staging a directory on the data volume for the downloads (import copies from it) */
    public RestoreRuns(SnapshotNode node, Path staging, Function<RestoreRequest, ObjectStore> stores) {
        this.node = node;
        this.staging = staging;
        this.stores = stores;
    }

    public static RestoreRuns onVolume(SnapshotNode node, Path volume) {
        return new RestoreRuns(node, volume.resolve("cassandra-operator-restore"), request -> new ObjectStore(request.store()));
    }

    public synchronized RestoreReport report(String id) {
        return current != null && current.id().equals(id) ? current : RestoreReport.notStarted(id);
    }

    public synchronized StartResult start(RestoreRequest request) {
        if (current != null && current.id().equals(request.id()) && current.state() != OperationState.FAILED) {
            return new StartResult(Outcome.EXISTING, current);
        }
        if (current != null && current.state() == OperationState.RUNNING) {
            return new StartResult(Outcome.BUSY, current);
        }
        current = new RestoreReport(request.id(), OperationState.RUNNING, null, null, null);
        Thread thread = new Thread(() -> run(request), "restore-" + request.id());
        thread.setDaemon(true);
        thread.start();
        return new StartResult(Outcome.STARTED, current);
    }

    private void run(RestoreRequest request) {
        RestoreReport outcome;
        Path directory = staging.resolve(request.id().replaceAll("[^A-Za-z0-9._-]", "_"));
        try (ObjectStore store = stores.apply(request)) {
            outcome = restore(request, store, directory);
            LOG.info("Restore {} done: {} files, {} bytes imported into {}", request.id(), outcome.files(), outcome.bytes(),
                    request.tables());
        } catch (Exception e) {
            String message = e instanceof ObjectStore.StoreRefusedException || e instanceof ChecksumMismatchException
                    ? e.getMessage() : OperationFailure.message(e);
            outcome = new RestoreReport(request.id(), OperationState.FAILED, message, null, null);
            LOG.warn("Restore {} failed: {}", request.id(), message);
            LOG.debug("Restore {} failure", request.id(), e);
        }
        deleteTree(directory);
        synchronized (this) {
            current = outcome;
        }
    }

    private RestoreReport restore(RestoreRequest request, ObjectStore store, Path directory) throws Exception {
        MemberManifest manifest = JSON.readValue(store.getBytes(request.manifestKey()), MemberManifest.class);
        Map<String, List<StoredFile>> byTable = new LinkedHashMap<>();
        for (String table : request.tables()) {
            byTable.put(table, new ArrayList<>());
        }
        for (StoredFile file : manifest.files()) {
            List<StoredFile> files = byTable.get(file.keyspace() + "." + file.table());
            if (files != null && SSTABLE_COMPONENT.matcher(file.name()).matches()) {
                files.add(file);
            }
        }
        // Every file of every table is downloaded and verified before the first import: all or nothing goes in.
        int count = 0;
        long bytes = 0;
        for (Map.Entry<String, List<StoredFile>> table : byTable.entrySet()) {
            Path tableDirectory = Files.createDirectories(tableDirectory(directory, table.getKey()));
            for (StoredFile file : table.getValue()) {
                Path local = tableDirectory.resolve(file.name());
                store.download(file.key(), local);
                String actual = SnapshotFiles.sha256(local);
                if (!actual.equals(file.sha256())) {
                    throw new ChecksumMismatchException("stored file " + file.key() + " (" + table.getKey() + " " + file.name()
                            + " of member " + manifest.member() + ") fails its checksum: SHA-256 " + actual + ", the manifest says "
                            + file.sha256() + "; nothing was imported");
                }
                count++;
                bytes += file.size();
            }
        }
        for (Map.Entry<String, List<StoredFile>> table : byTable.entrySet()) {
            if (table.getValue().isEmpty()) {
                continue;
            }
            String[] name = table.getKey().split("\\.", 2);
            Path tableDirectory = tableDirectory(directory, table.getKey());
            List<String> failed = node.importSSTables(name[0], name[1], tableDirectory.toString());
            if (!failed.isEmpty()) {
                throw new IllegalStateException("Cassandra could not import " + failed + " into " + table.getKey());
            }
            // The import moves what it loads; a file still staged is one Cassandra did not take (it reports no error
            // when it finds no SSTable it recognises), so the restore is not done.
            List<String> left = stagedDataFiles(tableDirectory);
            if (!left.isEmpty()) {
                throw new IllegalStateException("Cassandra did not import " + left + " into " + table.getKey() + " from "
                        + tableDirectory + "; the table is as it was before this restore");
            }
            LOG.info("Restore {}: imported {} files into {}", request.id(), table.getValue().size(), table.getKey());
        }
        return new RestoreReport(request.id(), OperationState.DONE, null, count, bytes);
    }

    /**
     * {@code <run>/<keyspace>/<table>}: Cassandra reads an SSTable's keyspace and table from its two parent directories'
     * names and skips files whose names do not match the table it imports into.
     */
    private static Path tableDirectory(Path run, String qualifiedTable) {
        String[] name = qualifiedTable.split("\\.", 2);
        return run.resolve(name[0]).resolve(name[1]);
    }

    private static List<String> stagedDataFiles(Path tableDirectory) throws IOException {
        try (Stream<Path> files = Files.list(tableDirectory)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith("-Data.db")).sorted().toList();
        }
    }

    private static void deleteTree(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the restore's staging directory " + directory, e);
        }
    }

    /** A downloaded file is not what the manifest says was stored. */
    static final class ChecksumMismatchException extends Exception {
        ChecksumMismatchException(String message) {
            super(message);
        }
    }
}
