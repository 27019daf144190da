package io.cassandraoperator.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Cassandra running as the agent's child; its output is the agent's output, i.e. the container log. */
public final class CassandraProcess {
    private static final Logger LOG = LoggerFactory.getLogger(CassandraProcess.class);

    private final Process process;

    private CassandraProcess(Process process) {
        this.process = process;
    }

    public static CassandraProcess start(List<String> command) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(Redirect.INHERIT)
                    .redirectError(Redirect.INHERIT)
                    .start();
            LOG.info("Started Cassandra, pid {}", process.pid());
            return new CassandraProcess(process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Cassandra", e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public CompletableFuture<Process> onExit() {
        return process.onExit();
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
            waitForExit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private void waitForExit() {
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
