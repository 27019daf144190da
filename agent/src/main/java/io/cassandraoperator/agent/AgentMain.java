package io.cassandraoperator.agent;

import io.cassandraoperator.api.Contract;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The entrypoint of every Cassandra container: renders Cassandra's configuration, starts Cassandra as a child
 * process, serves probes and the operator's calls, and on SIGTERM drains and stops Cassandra.
 */
public final class AgentMain {
    private static final Logger LOG = LoggerFactory.getLogger(AgentMain.class);

    private final AgentSettings settings;
    private volatile boolean shuttingDown;

    private AgentMain(AgentSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) {
        AgentSettings settings;
        try {
            settings = AgentSettings.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            LOG.error("Cannot start: {}", e.getMessage());
            System.exit(2);
            return;
        }
        new AgentMain(settings).run();
    }

    private void run() {
        createDirectories(settings.dataDir());
        Membership membership = Membership.read(settings.membersDir(), settings.podName());
        LOG.info("Member {} of {}/{}/{}: listens on {}, broadcasts {}, seeds {}", settings.podName(),
                settings.clusterName(), settings.datacenter(), settings.rack(), settings.podIp(),
                membership.broadcastAddress(), membership.seedsForCassandra());
        DecommissionMarker marker = new DecommissionMarker(settings.dataDir());
        JmxAccess jmx = JmxAccess.create(CassandraConfigDirectory.confDir(settings).resolve("jmx"));
        JmxCassandraNode node = new JmxCassandraNode(jmx, membership.broadcastAddress());

        CassandraProcess cassandra = null;
        if (marker.exists()) {
            // Cassandra refuses to rejoin with a decommissioned node's data: starting it would only crash-loop.
            LOG.warn("{} exists: this member was decommissioned; not starting Cassandra, waiting to be removed",
                    marker.file());
        } else {
            CassandraCommandLine.ConfigFiles config = CassandraConfigDirectory.write(settings, membership);
            List<String> command = CassandraCommandLine.build(javaBinary(), settings, config, jmx,
                    replaceAddress(membership));
            cassandra = CassandraProcess.start(command);
        }

        CassandraProcess running = cassandra;
        AgentHttpApi api = new AgentHttpApi(
                new InetSocketAddress(settings.bindAddress(), settings.port()),
                settings.agentToken(),
                () -> running == null || running.isAlive(),
                new Readiness(node, new InetSocketAddress(settings.podIp(), Contract.Ports.CQL)),
                node,
                new Decommission(node, marker),
                new Cleanup(node));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutDown(running, node, api), "agent-shutdown"));
        api.start();

        if (running != null) {
            int exitCode = running.onExit().join().exitValue();
            if (!shuttingDown) {
                LOG.error("Cassandra exited on its own with code {}: exiting so the container is restarted", exitCode);
                System.exit(exitCode == 0 ? 1 : exitCode);
            }
        }
    }

    /** On SIGTERM: drain (so no commit log replay and no lost hints on restart), then stop Cassandra. */
    private void shutDown(CassandraProcess cassandra, CassandraNode node, AgentHttpApi api) {
        shuttingDown = true;
        if (cassandra != null && cassandra.isAlive()) {
            String mode = node.operationMode().orElse("unreachable");
            if (OperationMode.isServing(mode)) {
                drain(node);
            } else {
                LOG.info("Not draining: Cassandra's operation mode is {}", mode);
            }
            cassandra.stop(settings.stopGrace());
        }
        api.close();
    }

    private void drain(CassandraNode node) {
        LOG.info("Draining Cassandra before stopping it");
        CompletableFuture<Void> drain = CompletableFuture.runAsync(() -> {
            try {
                node.drain();
            } catch (Exception e) {
                throw new IllegalStateException(OperationFailure.message(e), e);
            }
        });
        try {
            drain.get(settings.stopGrace().toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("Drained");
        } catch (TimeoutException e) {
            LOG.warn("Drain did not finish within {}; stopping Cassandra anyway", settings.stopGrace());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Drain failed: {}; stopping Cassandra anyway", OperationFailure.message(e));
        }
    }

    /**
     * A replacement keeps the dead member's address; Cassandra honours it only on a node's first boot, and the agent
     * asks for it only on an empty disk, so a replacement that finished is never started again.
     */
    private Optional<String> replaceAddress(Membership membership) {
        if (!membership.replaceRequested()) {
            return Optional.empty();
        }
        if (!isEmptyDirectory(settings.dataDir().resolve("data"))) {
            LOG.info("A replacement is requested but the data directory holds data: starting as the member itself");
            return Optional.empty();
        }
        LOG.info("Replacing the member at {} on an empty disk", membership.broadcastAddress());
        return Optional.of(membership.broadcastAddress());
    }

    private static boolean isEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
