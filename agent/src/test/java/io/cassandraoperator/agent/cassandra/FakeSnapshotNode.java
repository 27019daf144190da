package io.cassandraoperator.agent.cassandra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Snapshots as Cassandra lays them out, over a data directory the test fills: {@code <data>/<keyspace>/<table>-<id>/}
 * files are linked into {@code snapshots/<tag>/}; an import moves a directory's files into the table's directory.
 */
public final class FakeSnapshotNode implements SnapshotNode {
    private final Path data;
    public final List<String> tokens = new ArrayList<>(List.of("-9000", "100", "9000"));
    public final List<String> snapshotsTaken = new CopyOnWriteArrayList<>();
    public final List<String> snapshotsCleared = new CopyOnWriteArrayList<>();
    /** Each import as {@code keyspace.table: file names}, read from the directory at the moment of the import. */
    public final List<String> imports = new CopyOnWriteArrayList<>();

    public FakeSnapshotNode(Path data) {
        this.data = data;
    }

    @Override
    public List<String> userKeyspaces() throws IOException {
        if (!Files.isDirectory(data)) {
            return List.of();
        }
        try (Stream<Path> keyspaces = Files.list(data)) {
            return keyspaces.map(path -> path.getFileName().toString()).filter(name -> !name.startsWith("system")).sorted().toList();
        }
    }

    @Override
    public void takeSnapshot(String tag, List<String> keyspaces) throws IOException {
        for (String keyspace : keyspaces) {
            for (Path table : children(data.resolve(keyspace))) {
                Path snapshot = table.resolve("snapshots").resolve(tag);
                Files.createDirectories(snapshot);
                for (Path file : children(table)) {
                    if (Files.isRegularFile(file)) {
                        Files.createLink(snapshot.resolve(file.getFileName()), file);
                    }
                }
            }
        }
        snapshotsTaken.add(tag);
    }

    @Override
    public void clearSnapshot(String tag) throws IOException {
        for (Path keyspace : children(data)) {
            for (Path table : children(keyspace)) {
                Path snapshot = table.resolve("snapshots").resolve(tag);
                if (Files.isDirectory(snapshot)) {
                    try (Stream<Path> files = Files.walk(snapshot)) {
                        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                            Files.delete(file);
                        }
                    }
                }
            }
        }
        snapshotsCleared.add(tag);
    }

    @Override
    public List<String> tokens() {
        return List.copyOf(tokens);
    }

    /**
     * As Cassandra's import without copying: files in a directory named {@code <keyspace>/<table>} are moved into the
     * table (here: gone); anything else is not recognised, left where it is, and no error is reported.
     */
    @Override
    public List<String> importSSTables(String keyspace, String table, String directory) throws IOException {
        Path from = Path.of(directory);
        if (!from.getFileName().toString().equals(table) || !from.getParent().getFileName().toString().equals(keyspace)) {
            return List.of();
        }
        List<Path> files = children(from);
        imports.add(keyspace + "." + table + ": " + String.join(",", files.stream().map(path -> path.getFileName().toString()).toList()));
        for (Path file : files) {
            Files.delete(file);
        }
        return List.of();
    }

    private static List<Path> children(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(directory)) {
            return children.sorted().toList();
        }
    }
}
