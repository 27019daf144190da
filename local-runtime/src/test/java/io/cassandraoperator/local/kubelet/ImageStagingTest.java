package io.cassandraoperator.local.kubelet;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** An image others cannot reach is run from a world-readable copy keyed by its content. */
class ImageStagingTest {
    @TempDir
    Path temp;

    @BeforeEach
    void openTheTemporaryDirectory() throws IOException {
        // JUnit makes it 0700; the test decides what is closed below it.
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        assumeThat(Traversal.blockedAt(temp)).as("the system's temporary directory is open to all").isEmpty();
    }

    @Test
    void anImageUnderAClosedDirectoryIsCopiedOnceWorldReadableAndItsPathsMoved() throws IOException {
        Path closed = Files.createDirectories(temp.resolve("home"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        Path root = Files.createDirectories(closed.resolve("project/image"));
        Files.writeString(Files.createDirectories(root.resolve("agent")).resolve("agent.jar"), "jar bytes");
        Path state = Files.createDirectories(temp.resolve("state"));
        LocalImage image = new LocalImage(List.of("/usr/bin/java", "-cp", root.resolve("agent") + "/*", "Main"),
                Map.of("CASSANDRA_CLASSPATH", root.resolve("cassandra") + "/*", "OTHER", "/etc/x"), 999L, 999L, root);
        ImageStaging staging = new ImageStaging(state);

        LocalImage staged = staging.readable(image);

        Path copy = state.resolve("images").resolve(ImageStaging.contentHash(root));
        assertThat(staged.root()).isEqualTo(copy);
        assertThat(staged.entrypoint()).containsExactly("/usr/bin/java", "-cp", copy.resolve("agent") + "/*", "Main");
        assertThat(staged.env()).containsEntry("CASSANDRA_CLASSPATH", copy.resolve("cassandra") + "/*")
                .containsEntry("OTHER", "/etc/x");
        assertThat(staged.user()).isEqualTo(999L);
        assertThat(copy.resolve("agent/agent.jar")).hasContent("jar bytes");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy))).isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy.resolve("agent/agent.jar"))))
                .isEqualTo("rw-r--r--");
        assertThat(Traversal.blockedAt(root)).contains(closed);
        assertThat(Traversal.blockedAt(copy.resolve("agent"))).isEmpty();
        assertThat(new ImageStaging(state).readable(image)).as("reused after a restart").isEqualTo(staged);

        Files.writeString(root.resolve("agent/agent.jar"), "rebuilt");
        assertThat(new ImageStaging(state).readable(image).root()).as("a rebuilt image gets its own copy")
                .isNotEqualTo(copy);
    }

    @Test
    void anImageOthersCanReadRunsInPlace() throws IOException {
        Path root = Files.createDirectories(temp.resolve("open/image"));
        LocalImage image = new LocalImage(List.of("java", "-cp", root.toString()), Map.of(), null, null, root);

        assertThat(new ImageStaging(temp.resolve("state")).readable(image)).isSameAs(image);
    }
}
