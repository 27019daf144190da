package io.cassandraoperator.agent.cassandra;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A class loader over Cassandra's own jars, for reading Cassandra's JMX answers: some operations return Cassandra's
 * library types (e.g. Guava's ImmutableList from getParentRepairStatus), which the agent's classpath does not have.
 * Its parent is the platform loader, so none of the agent's own libraries mix with Cassandra's.
 */
public final class CassandraClassLoader {
    private CassandraClassLoader() {
    }

    /** @param classpath Cassandra's classpath as java -cp takes it ({@code dir/*} entries stand for the dir's jars) */
    public static ClassLoader over(String classpath) {
        List<URL> urls = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.endsWith("/*")) {
                urls.addAll(jarsIn(Path.of(entry.substring(0, entry.length() - 2))));
            } else if (!entry.isBlank()) {
                urls.add(url(Path.of(entry)));
            }
        }
        return new URLClassLoader("cassandra", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    static List<URL> jarsIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".jar")).sorted()
                    .map(CassandraClassLoader::url).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
