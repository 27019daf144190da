package io.cassandraoperator.agent.cassandra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CassandraClassLoaderTest {

    @Test
    void seesTheJarsOfWildcardAndPlainEntriesAndNoneOfTheAgentsLibraries(@TempDir Path dir) throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        jarWith(lib.resolve("a.jar"), "from-a.txt");
        Files.writeString(lib.resolve("notes.txt"), "not a jar");
        Path plugin = jarWith(dir.resolve("plugin.jar"), "from-plugin.txt");

        ClassLoader loader = CassandraClassLoader.over(lib + "/*:" + plugin);

        assertThat(loader.getResource("from-a.txt")).isNotNull();
        assertThat(loader.getResource("from-plugin.txt")).isNotNull();
        assertThat(loader.loadClass("java.util.List")).isSameAs(java.util.List.class);
        assertThatThrownBy(() -> loader.loadClass("com.fasterxml.jackson.databind.ObjectMapper"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    private static Path jarWith(Path jar, String entry) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry(entry));
            out.write("x".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }
}
