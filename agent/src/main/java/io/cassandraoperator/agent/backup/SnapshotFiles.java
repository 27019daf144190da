package io.cassandraoperator.agent.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of one snapshot on a member's disk: Cassandra puts them at
 * {@code <data>/<keyspace>/<table>-<table id>/snapshots/<tag>/} (hard links of the live SSTables, plus the table's
 * {@code schema.cql} and the snapshot's {@code manifest.json}).
 */
final class SnapshotFiles {
    private static final String SNAPSHOTS = "snapshots";

    private SnapshotFiles() {
    }

    /** A snapshot file and the table it belongs to. */
    record SnapshotFile(String keyspace, String tableDirectory, Path path) {
        /** The table's name: its directory's name without the id Cassandra appends. */
        String table() {
            int dash = tableDirectory.lastIndexOf('-');
            return dash > 0 ? tableDirectory.substring(0, dash) : tableDirectory;
        }
    }

    /** @param cassandraData Cassandra's data_file_directories entry ({@code <volume>/data}) */
    static List<SnapshotFile> list(Path cassandraData, String tag, List<String> keyspaces) {
        List<SnapshotFile> files = new ArrayList<>();
        for (String keyspace : keyspaces) {
            Path keyspaceDir = cassandraData.resolve(keyspace);
            if (!Files.isDirectory(keyspaceDir)) {
                continue;
            }
            try (Stream<Path> tables = Files.list(keyspaceDir)) {
                for (Path table : tables.sorted().toList()) {
                    Path snapshot = table.resolve(SNAPSHOTS).resolve(tag);
                    if (!Files.isDirectory(snapshot)) {
                        continue;
                    }
                    try (Stream<Path> inSnapshot = Files.list(snapshot)) {
                        inSnapshot.filter(Files::isRegularFile).sorted().forEach(file ->
                                files.add(new SnapshotFile(keyspace, table.getFileName().toString(), file)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list snapshot " + tag + " of keyspace " + keyspace, e);
            }
        }
        return files;
    }

    /** The SHA-256 of a file's content, in lower-case hex. */
    static String sha256(Path file) {
        MessageDigest digest = sha256Digest();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read; (read = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, read);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
