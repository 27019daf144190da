package io.cassandraoperator.local.e2e;

import io.cassandraoperator.local.cli.CliProcess;
import org.apache.commons.io.file.PathUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.awaitility.Awaitility.await;

/**
 * The project as the CLI sees it, with a copy of the agent's image: other builds on this machine rewrite
 * agent/target/image, and a jar replaced under a running agent fails its next class load. The examples and the CRDs
 * are linked, not copied.
 */
final class ProjectSnapshot {
    private ProjectSnapshot() {
    }

    /** A new temporary project directory; the caller deletes it. */
    static Path take() throws IOException {
        Path project = Files.createTempDirectory("cassandra-local-project-");
        try {
            copyInto(project);
        } catch (IOException | RuntimeException e) {
            PathUtils.deleteDirectory(project);
            throw e;
        }
        return project;
    }

    private static void copyInto(Path project) throws IOException {
        for (String shared : List.of("examples", "deploy")) {
            Files.createSymbolicLink(project.resolve(shared), CliProcess.PROJECT.resolve(shared));
        }
        Path image = CliProcess.PROJECT.resolve("agent/target/image");
        Path copy = project.resolve("agent/target/image");
        // A build may be rewriting the image right now: copy again until every jar of the copy opens.
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(5)).untilAsserted(() -> {
            if (Files.exists(copy)) {
                PathUtils.deleteDirectory(copy);
            }
            Files.createDirectories(copy.getParent());
            PathUtils.copyDirectory(image, copy);
            try (Stream<Path> jars = Files.walk(copy)) {
                for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                    new ZipFile(jar.toFile()).close();
                }
            }
        });
    }
}
