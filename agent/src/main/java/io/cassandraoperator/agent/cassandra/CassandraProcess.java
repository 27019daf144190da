package io.cassandraoperator.agent.cassandra;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** Cassandra running as the agent's child; its output goes on to the agent's output, i.e. the container log. */
public final class CassandraProcess {
    private static final Logger LOG = LoggerFactory.getLogger(CassandraProcess.class);

    private final Process process;
    private final List<Thread> outputCopiers;

    private CassandraProcess(Process process, List<Thread> outputCopiers) {
        this.process = process;
        this.outputCopiers = outputCopiers;
    }

    /**
     * Starts Cassandra; each line it prints is copied to the agent's own stdout or stderr (the container log) and
     * handed to {@code lineObserver}.
     */
    public static CassandraProcess start(List<String> command, Consumer<String> lineObserver) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(Redirect.from(new File("/dev/null")))
                    .start();
            List<Thread> copiers = List.of(
                    copyLines(process.getInputStream(), System.out, lineObserver, "cassandra-stdout"),
                    copyLines(process.getErrorStream(), System.err, lineObserver, "cassandra-stderr"));
            LOG.info("Started Cassandra, pid {}", process.pid());
            return new CassandraProcess(process, copiers);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Cassandra", e);
        }
    }

    private static Thread copyLines(InputStream from, PrintStream to, Consumer<String> lineObserver, String name) {
        Thread copier = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(from, StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    to.println(line);
                    lineObserver.accept(line);
                }
            } catch (IOException e) {
                LOG.debug("{} closed", name, e);
            }
        }, name);
        copier.setDaemon(true);
        copier.start();
        return copier;
    }

    public long pid() {
        return process.pid();
    }

    public CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until Cassandra exited and every line it printed was copied and observed; returns its exit code. */
    public int waitForExit() throws InterruptedException {
        int exitCode = process.waitFor();
        for (Thread copier : outputCopiers) {
            copier.join(TimeUnit.SECONDS.toMillis(10));
        }
        return exitCode;
    }

    /**
     * SIGTERM, then SIGKILL once the grace period is over: a node was seen ignoring SIGTERM for more than 10 s.
     * Descendants (Cassandra starts none itself, but plugins might) get the same treatment.
     */
    public void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        LOG.info("Stopping Cassandra (pid {}) with SIGTERM, grace period {}", process.pid(), grace);
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("Cassandra exited with code {}", process.exitValue());
        } catch (TimeoutException e) {
            LOG.warn("Cassandra (pid {}) still running after {}: SIGKILL", process.pid(), grace);
            process.destroyForcibly();
            awaitKilled();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private void awaitKilled() {
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
