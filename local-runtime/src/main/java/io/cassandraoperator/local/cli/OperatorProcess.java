package io.cassandraoperator.local.cli;

import io.cassandraoperator.local.kubelet.ImageCatalog;
import io.cassandraoperator.local.kubelet.RecordedProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

/**
 * The operator, {@code OperatorMain} unchanged, in its own JVM with KUBECONFIG pointing at the local API (as a
 * Deployment's pod would run it), restarted when it exits, as its Deployment would restart it. Killing it by the PID
 * in {@code run/operator.pid} (SIGKILL) is how tests crash the operator at a chosen step; it comes back after 1 s.
 */
final class OperatorProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorProcess.class);
    static final String MAIN = "io.cassandraoperator.operator.OperatorMain";
    /** A run at least this long resets the restart back-off. */
    private static final Duration STABLE_RUN = Duration.ofSeconds(10);

    private final StateDirectory state;
    private final String classpath;
    private final Thread supervisor;
    private volatile boolean closing;
    private volatile Process process;

    OperatorProcess(StateDirectory state, String classpath) {
        this.state = state;
        this.classpath = classpath;
        this.supervisor = new Thread(this::supervise, "operator-supervisor");
    }

    OperatorProcess start() {
        supervisor.start();
        return this;
    }

    private void supervise() {
        Duration backOff = Duration.ofSeconds(1);
        while (!closing) {
            try {
                Files.createDirectories(state.operatorLog().getParent());
                ProcessBuilder builder = new ProcessBuilder(List.of(ImageCatalog.javaBinary(), "-Xmx256m",
                        "-XX:+UseSerialGC", "-cp", classpath, MAIN))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(state.operatorLog().toFile()));
                // its ServiceAccount's token: deploy/'s permissions exactly (OperatorRbac)
                builder.environment().put("KUBECONFIG", state.operatorKubeconfig().toString());
                builder.environment().put("WATCH_NAMESPACES", "");
                builder.environment().put("HEALTH_BIND", "127.0.0.1");
                builder.environment().put("HEALTH_PORT", Integer.toString(freePort()));
                synchronized (this) {
                    if (closing) {
                        return;
                    }
                    process = builder.start();
                }
                RecordedProcess.write(state.operatorPid(), process.toHandle());
                LOG.info("operator started (pid {}), log {}", process.pid(), state.operatorLog());
                long startedAt = System.nanoTime();
                int exit = process.waitFor();
                if (Duration.ofNanos(System.nanoTime() - startedAt).compareTo(STABLE_RUN) >= 0) {
                    // It ran fine before this exit: a new crash, not a crash loop (the kubelet resets after 10 min).
                    backOff = Duration.ofSeconds(1);
                }
                if (!closing) {
                    LOG.warn("operator exited with code {}; restarting in {}s", exit, backOff.toSeconds());
                    Thread.sleep(backOff.toMillis());
                    backOff = backOff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0
                            ? Duration.ofSeconds(30) : backOff.multipliedBy(2);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** SIGTERM, up to 20 s, then SIGKILL of the operator's tree. */
    @Override
    public void close() {
        Process running;
        synchronized (this) {
            closing = true;
            running = process;
        }
        if (running != null && running.isAlive()) {
            LOG.info("stopping the operator (pid {})", running.pid());
            running.destroy();
            try {
                if (!running.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    RecordedProcess.killTree(running.toHandle());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                RecordedProcess.killTree(running.toHandle());
            }
        }
        try {
            supervisor.join(5000);
            Files.deleteIfExists(state.operatorPid());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.debug("operator PID file not removed: {}", e.getMessage());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
