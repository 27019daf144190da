package io.cassandraoperator.local.cli;

import io.cassandraoperator.local.kubelet.ImageCatalog;
import io.cassandraoperator.local.kubelet.RecordedProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code cassandra-local} as its own process, exactly as bin/cassandra-local does after its build step: the
 * module's classes plus target/classpath.txt, the project directory as a system property.
 */
public final class CliProcess {
    public static final Path MODULE = Path.of("").toAbsolutePath();
    public static final Path PROJECT = MODULE.getParent();

    public record Result(int exitCode, String output) {
    }

    private CliProcess() {
    }

    /** The classpath bin/cassandra-local runs with, which is also the one its daemon starts the operator with. */
    static String classpath() throws IOException {
        return MODULE.resolve("target/classes") + ":" + Files.readString(MODULE.resolve("target/classpath.txt")).trim();
    }

    public static Result run(Path stateDir, Duration timeout, String... args) throws IOException, InterruptedException {
        return run(PROJECT, stateDir, timeout, args);
    }

    /** The same with another project directory (its examples, deploy/crds and agent/target/image are used). */
    public static Result run(Path project, Path stateDir, Duration timeout, String... args)
            throws IOException, InterruptedException {
        String classpath = classpath();
        List<String> command = new ArrayList<>(List.of(ImageCatalog.javaBinary(), "-Xmx256m", "-XX:+UseSerialGC",
                "-D" + CassandraLocal.PROJECT_PROPERTY + "=" + project, "-cp", classpath,
                CassandraLocal.class.getName()));
        command.addAll(List.of(args));
        command.addAll(List.of("--state-dir", stateDir.toString()));
        Path output = Files.createTempFile("cassandra-local", ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        try {
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                RecordedProcess.killTree(process.toHandle());
                throw new AssertionError("cassandra-local " + String.join(" ", args) + " did not finish within "
                        + timeout + ":\n" + Files.readString(output));
            }
            String text = Files.readString(output);
            System.out.println("cassandra-local " + String.join(" ", args) + " (exit " + process.exitValue() + "):\n"
                    + text);
            return new Result(process.exitValue(), text);
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
