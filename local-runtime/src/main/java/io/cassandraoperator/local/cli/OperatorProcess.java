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
import java.util.concurrent.ThreadLocalRandom;

/**
 * One operator, {@code OperatorMain} unchanged, in its own JVM with KUBECONFIG pointing at the local API and
 * authenticating as its ServiceAccount (as a Deployment's pod would run it, {@link OperatorRbac}), restarted when it exits, as its Deployment would restart it. It always runs with
 * leader election, as deploy/ does: the Lease {@code cassandra-operator} in {@value #LEASE_NAMESPACE}, so with
 * {@code up --operators 2} only one of the two reconciles. Each start has an identity of its own
 * ({@code operator-<slot>-<random>}, like a new pod's name): a restarted operator never takes itself for the holder of
 * its predecessor's Lease, it waits for the Lease to expire like any standby. Killing it by the PID in its slot's
 * PID file (SIGKILL) is how tests crash the operator at a chosen step; it comes back after 1 s.
 */
final class OperatorProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorProcess.class);
    static final String MAIN = "io.cassandraoperator.operator.OperatorMain";
    /** The namespace of the operators' Lease (deploy/ uses the operator's own; the local runtime has no such one). */
    static final String LEASE_NAMESPACE = "default";
    /** A run at least this long resets the restart back-off. */
    private static final Duration STABLE_RUN = Duration.ofSeconds(10);

    private final StateDirectory state;
    private final String classpath;
    private final int slot;
    private final Thread supervisor;
    private volatile boolean closing;
    private volatile Process process;

    OperatorProcess(StateDirectory state, String classpath, int slot) {
        this.state = state;
        this.classpath = classpath;
        this.slot = slot;
        this.supervisor = new Thread(this::supervise, "operator-" + slot + "-supervisor");
    }

    OperatorProcess start() {
        supervisor.start();
        return this;
    }

    /**
     * Starts the operator of that slot once, unsupervised: its identity, then its PID, recorded in the slot's files,
     * its output appended to the slot's log.
     */
    static Process launch(StateDirectory state, String classpath, int slot) throws IOException {
        Files.createDirectories(state.operatorLog(slot).getParent());
        String identity = "operator-" + slot + "-" + randomSuffix();
        ProcessBuilder builder = new ProcessBuilder(List.of(ImageCatalog.javaBinary(), "-Xmx256m",
                "-XX:+UseSerialGC", "-cp", classpath, MAIN))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(state.operatorLog(slot).toFile()));
        // its ServiceAccount's token: deploy/'s permissions exactly (OperatorRbac)
        builder.environment().put("KUBECONFIG", state.operatorKubeconfig().toString());
        builder.environment().put("WATCH_NAMESPACES", "");
        builder.environment().put("LEADER_ELECTION_NAMESPACE", LEASE_NAMESPACE);
        // JOSDK's leader-election identity, as a pod's HOSTNAME is its name.
        builder.environment().put("HOSTNAME", identity);
        builder.environment().put("HEALTH_BIND", "127.0.0.1");
        builder.environment().put("HEALTH_PORT", Integer.toString(freePort()));
        Files.createDirectories(state.operatorIdentity(slot).getParent());
        Files.writeString(state.operatorIdentity(slot), identity + "\n");
        Process started = builder.start();
        RecordedProcess.write(state.operatorPid(slot), started.toHandle());
        LOG.info("operator {} started (pid {}, identity {}), log {}", slot, started.pid(), identity, state.operatorLog(slot));
        return started;
    }

    private void supervise() {
        Duration backOff = Duration.ofSeconds(1);
        while (!closing) {
            try {
                synchronized (this) {
                    if (closing) {
                        return;
                    }
                    process = launch(state, classpath, slot);
                }
                long startedAt = System.nanoTime();
                int exit = process.waitFor();
                if (Duration.ofNanos(System.nanoTime() - startedAt).compareTo(STABLE_RUN) >= 0) {
                    // It ran fine before this exit: a new crash, not a crash loop (the kubelet resets after 10 min).
                    backOff = Duration.ofSeconds(1);
                }
                if (!closing) {
                    LOG.warn("operator {} exited with code {}; restarting in {}s", slot, exit, backOff.toSeconds());
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
            LOG.info("stopping operator {} (pid {})", slot, running.pid());
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
            Files.deleteIfExists(state.operatorPid(slot));
            Files.deleteIfExists(state.operatorIdentity(slot));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.debug("operator {} PID file not removed: {}", slot, e.getMessage());
        }
    }

    private static String randomSuffix() {
        String alphabet = "bcdfghjklmnpqrstvwxz2456789";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            s.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return s.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
