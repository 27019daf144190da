package io.cassandraoperator.local.kubelet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A process recorded in a PID file as "pid start-time-millis", so that another process (the CLI) can find it again
 * without mistaking a recycled PID for it.
 */
public final class RecordedProcess {
    private RecordedProcess() {
    }

    public static void write(Path pidFile, ProcessHandle process) {
        try {
            Files.createDirectories(pidFile.getParent());
            Instant start = process.info().startInstant().orElse(Instant.EPOCH);
            Files.writeString(pidFile, process.pid() + " " + start.toEpochMilli() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The recorded process if it is still running. */
    public static Optional<ProcessHandle> read(Path pidFile) {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            String[] parts = Files.readString(pidFile).trim().split(" ");
            long pid = Long.parseLong(parts[0]);
            long startMillis = parts.length > 1 ? Long.parseLong(parts[1]) : 0;
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(handle -> handle.info().startInstant()
                    .map(start -> startMillis == 0 || start.toEpochMilli() == startMillis).orElse(false));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** SIGKILL of the process and all its descendants (collected first: killed parents orphan their children). */
    public static void killTree(ProcessHandle process) {
        List<ProcessHandle> tree = Stream.concat(Stream.of(process), process.descendants()).toList();
        tree.forEach(ProcessHandle::destroyForcibly);
        // Bounded: a killed process stays visible until its parent reaps it, which is not ours to force.
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
