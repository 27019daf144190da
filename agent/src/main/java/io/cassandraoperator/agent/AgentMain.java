package io.cassandraoperator.agent;

import io.cassandraoperator.agent.auth.FoundingStart;
import io.cassandraoperator.agent.auth.SuperuserRole;
import io.cassandraoperator.agent.config.MemberTls;
import io.cassandraoperator.agent.cassandra.CassandraClassLoader;
import io.cassandraoperator.agent.cassandra.CassandraCommandLine;
import io.cassandraoperator.agent.cassandra.CassandraExitCode;
import io.cassandraoperator.agent.cassandra.CassandraNode;
import io.cassandraoperator.agent.cassandra.CassandraProcess;
import io.cassandraoperator.agent.cassandra.JmxAccess;
import io.cassandraoperator.agent.cassandra.JmxCassandraNode;
import io.cassandraoperator.agent.cassandra.NodetoolOptions;
import io.cassandraoperator.agent.cassandra.NormalWatch;
import io.cassandraoperator.agent.cassandra.OperationFailure;
import io.cassandraoperator.agent.cassandra.OperationMode;
import io.cassandraoperator.agent.cassandra.StartupRefusals;
import io.cassandraoperator.agent.config.AgentSettings;
import io.cassandraoperator.agent.config.CassandraConfigDirectory;
import io.cassandraoperator.agent.config.ConfigFiles;
import io.cassandraoperator.agent.backup.BackupRuns;
import io.cassandraoperator.agent.backup.RestoreRuns;
import io.cassandraoperator.agent.http.AgentHttpApi;
import io.cassandraoperator.agent.http.Readiness;
import io.cassandraoperator.agent.membership.JoinRecorder;
import io.cassandraoperator.agent.membership.LostVolume;
import io.cassandraoperator.agent.membership.Membership;
import io.cassandraoperator.agent.membership.Replacement;
import io.cassandraoperator.agent.membership.SeedRefresher;
import io.cassandraoperator.agent.membership.VolumeMarker;
import io.cassandraoperator.agent.membership.VolumeWatch;
import io.cassandraoperator.agent.metrics.MetricsExporter;
import io.cassandraoperator.agent.operations.Decommission;
import io.cassandraoperator.agent.operations.RepeatableOperation;
import io.cassandraoperator.agent.tls.CertificateRefresher;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The entrypoint of every Cassandra container: renders Cassandra's configuration, starts Cassandra as a child
 * process, serves probes and the operator's calls, and on SIGTERM drains and stops Cassandra.
 */
public final class AgentMain {
    private static final Logger LOG = LoggerFactory.getLogger(AgentMain.class);
    /** How long a member waits for its certificate in the mounted Secret before the agent fails (and is restarted). */
    private static final java.time.Duration TLS_FILES_TIMEOUT = java.time.Duration.ofMinutes(10);

    private final AgentSettings settings;
    private volatile boolean shuttingDown;

    private AgentMain(AgentSettings settings) {
        this.settings = settings;
    }

    /** nodetool in this container is a convenience for users: without it Cassandra still starts, and the log says why. */
    private Optional<NodetoolOptions> nodetoolOptions(JmxAccess jmx) {
        try {
            return Optional.of(NodetoolOptions.write(jmx, NodetoolOptions.fileOf(settings.podName())));
        } catch (UncheckedIOException e) {
            LOG.warn("nodetool in this container cannot reach Cassandra: {}: {}", e.getMessage(),
                    e.getCause().getMessage());
            return Optional.empty();
        }
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
        try {
            new AgentMain(settings).run();
        } catch (IllegalStateException | UncheckedIOException e) {
            LOG.error("Cannot start: {}", e.getMessage(), e);
            System.exit(2);
        }
    }

    private void run() {
        createDirectories(settings.dataDir());
        Membership membership = Membership.read(settings.membersDir(), settings.podName());
        VolumeMarker decommissioned = VolumeMarker.decommissioned(settings.dataDir());
        VolumeMarker joined = VolumeMarker.joined(settings.dataDir());
        VolumeMarker decommissionStarted = VolumeMarker.decommissionStarted(settings.dataDir());
        List<String> seeds = membership.seedsForCassandra(joined.exists());
        LOG.info("Member {} of {}/{}/{}: listens on {}, broadcasts {}, seeds {} ({})", settings.podName(),
                settings.clusterName(), settings.datacenter(), settings.rack(), settings.podIp(),
                membership.broadcastAddress(), seeds,
                joined.exists() ? "its data joined the ring before: it keeps its own address"
                        : "it may bootstrap: its own address is left out unless it is the only seed");
        CassandraConfigDirectory confDir = CassandraConfigDirectory.create(
                Path.of(System.getProperty("java.io.tmpdir")), settings.podName());
        LOG.info("Cassandra's configuration and the JMX credentials go to {}, off the data volume", confDir.path());
        JmxAccess jmx = JmxAccess.create(confDir.jmxDir());
        Optional<NodetoolOptions> nodetool = nodetoolOptions(jmx);
        JmxCassandraNode node = new JmxCassandraNode(jmx, membership.broadcastAddress(),
                CassandraClassLoader.over(CassandraCommandLine.classpath(settings)));

        // The API binds first: if its address is taken the agent fails before it has a child to leave behind.
        AtomicReference<CassandraProcess> cassandra = new AtomicReference<>();
        AgentHttpApi api = new AgentHttpApi(
                new InetSocketAddress(settings.bindAddress(), settings.port()),
                settings.agentToken(),
                settings.clusterName() + "/" + settings.podName(),
                // A decommissioned member stays up without Cassandra until it is removed: restarting it helps nothing.
                () -> cassandra.get() == null || cassandra.get().isAlive() || decommissioned.exists(),
                new Readiness(node, new InetSocketAddress(settings.podIp(), Contract.Ports.CQL)),
                node,
                joined::exists,
                new Decommission(node, decommissioned, decommissionStarted),
                RepeatableOperation.cleanup(node, settings.dataDir()),
                RepeatableOperation.repair(node, settings.dataDir()),
                BackupRuns.onVolume(node, settings.dataDir(),
                        new BackupRuns.MemberIdentity(settings.podName(), settings.datacenter(), settings.rack())),
                RestoreRuns.onVolume(node, settings.dataDir()));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shutDown(cassandra, node, api);
            nodetool.ifPresent(NodetoolOptions::delete);
            confDir.delete();
        }, "agent-shutdown"));
        api.start();

        if (decommissioned.exists()) {
            // Cassandra refuses to rejoin with a decommissioned node's data: starting it would only crash-loop.
            LOG.warn("{} exists: this member was decommissioned; not starting Cassandra, waiting to be removed",
                    decommissioned.file());
            return;
        }
        if (settings.tls().isPresent()) {
            try {
                settings.tls().get().awaitFiles(TLS_FILES_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        VolumeMarker superuserEnsured = VolumeMarker.superuserEnsured(settings.dataDir());
        if (FoundingStart.applies(settings.superuser().isPresent(), superuserEnsured.exists(), seeds,
                membership.broadcastAddress())) {
            if (!foundingStart(cassandra, node, jmx, confDir, membership, seeds, joined, superuserEnsured)) {
                return;
            }
        }
        // Read before the files are written: a renewal in between is then seen by the refresher.
        String tlsMaterial = settings.tls().map(CertificateRefresher::material).orElse("");
        ConfigFiles config = confDir.write(settings, membership.broadcastAddress(), seeds, Optional.empty());
        Optional<String> replaced = Replacement.addressToReplace(membership, joined);
        if (membership.replaceRequested()) {
            LOG.info(replaced.isPresent()
                    ? "Replacing the member at {}: this volume never joined the ring"
                    : "A replacement of {} is requested but this volume joined the ring: ordinary start",
                    membership.broadcastAddress());
        }
        Optional<MetricsExporter> metrics = MetricsExporter.configure(settings, confDir.path());
        List<String> command = CassandraCommandLine.build(javaBinary(), settings, config, jmx, replaced, metrics);
        VolumeMarker lost = VolumeMarker.lost(settings.dataDir());
        boolean mayReportLostVolume = LostVolume.mayReport(joined.exists(), replaced.isPresent(),
                LostVolume.holdsNoCassandraData(settings.dataDir()), lost.exists());
        StartupRefusals refusals = new StartupRefusals();
        synchronized (this) {
            if (shuttingDown) {
                return;
            }
            cassandra.set(CassandraProcess.start(command, refusals::observe));
        }
        AtomicReference<String> volumeVanished = new AtomicReference<>();
        VolumeWatch volumeWatch = new VolumeWatch(settings.dataDir(), evidence -> {
            synchronized (this) {
                if (shuttingDown) {
                    return;
                }
                volumeVanished.set(evidence);
            }
            LOG.error("The data volume vanished under the running Cassandra: {}. Stopping Cassandra: it must not go on "
                    + "serving without the data it had", evidence);
            cassandra.get().stop(settings.stopGrace());
        });
        // In this order: the watch arms on the joined marker the recorder writes at the first NORMAL.
        new NormalWatch(node, List.of(refusals::reachedNormal, new JoinRecorder(joined), volumeWatch)).start();
        new SeedRefresher(() -> Membership.read(settings.membersDir(), settings.podName()), joined::exists,
                changed -> confDir.write(settings, membership.broadcastAddress(), changed, Optional.empty()), node, seeds)
                .start();
        settings.tls().ifPresent(tls -> new CertificateRefresher(tls, confDir, node, tlsMaterial).start());
        settings.superuser().ifPresentOrElse(
                superuser -> new SuperuserRole(superuser, new InetSocketAddress(settings.podIp(), Contract.Ports.CQL),
                        settings.datacenter(), node, settings.tls().map(MemberTls::clientContext)).start(),
                () -> LOG.info("No superuser credentials in the environment: Cassandra runs without authentication"));

        int exitCode;
        try {
            exitCode = cassandra.get().waitForExit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (shuttingDown) {
            return;
        }
        if (volumeVanished.get() != null) {
            reportLostVolume(lost);
            LOG.error("Cassandra stopped on a vanished volume (exit code {}): exiting with code {} so that the operator "
                    + "replaces the member", exitCode, Contract.AgentExit.VOLUME_LOST);
            System.exit(Contract.AgentExit.VOLUME_LOST);
        }
        Optional<StartupRefusals.Refusal> refusal = refusals.exitedFor(exitCode);
        if (refusal.filter(StartupRefusals.Refusal.DECOMMISSIONED::equals).isPresent()) {
            recordRefusalToRejoin(decommissionStarted, decommissioned);
        }
        if (decommissioned.exists()) {
            LOG.warn("Cassandra exited with code {} on decommissioned data; staying up without it, waiting to be removed",
                    exitCode);
            return;
        }
        if (mayReportLostVolume && refusal.filter(StartupRefusals.Refusal.ADDRESS_IN_RING::equals).isPresent()) {
            // The pod's container status carries the exit code: that is how the operator learns it must replace this member.
            reportLostVolume(lost);
            LOG.error("Cassandra refused to join: the ring knows this member's address {} but this volume never joined the ring, "
                    + "so the member's data is lost. Exiting with code {} so that the operator replaces the member",
                    membership.broadcastAddress(), Contract.AgentExit.VOLUME_LOST);
            System.exit(Contract.AgentExit.VOLUME_LOST);
        }
        int agentExit = CassandraExitCode.asAgentExit(exitCode);
        LOG.error("Cassandra exited on its own with code {}: exiting with code {} so the container is restarted{}",
                exitCode, agentExit, exitCode == Contract.AgentExit.VOLUME_LOST
                        ? " (" + exitCode + " is the agent's own report of a lost volume, which this is not)" : "");
        System.exit(agentExit);
    }

    /**
     * Cassandra refused to start on decommissioned data: the container may have stopped after Cassandra finished the
     * decommission the agent started and before the agent wrote its marker. Recording it lets the decommission report
     * DONE instead of the member crash-looping. Without the agent's own request on the volume the refusal is not
     * believed: the member crash-loops and nothing reports its data gone.
     */
    private static void recordRefusalToRejoin(VolumeMarker decommissionStarted, VolumeMarker decommissioned) {
        if (!decommissionStarted.exists()) {
            LOG.error("Cassandra refuses to start, saying this member was decommissioned, but this agent never started a "
                    + "decommission on this volume ({} is missing): not recording it; Cassandra is restarted", decommissionStarted.file());
            return;
        }
        decommissioned.write();
        LOG.warn("Cassandra refused to start before reaching NORMAL: this member was decommissioned (the agent started "
                + "it, {}). Wrote {}", decommissionStarted.file(), decommissioned.file());
    }

    /**
     * The founding member's first start ({@link FoundingStart}): Cassandra with CQL on a loopback port only, until the
     * cluster's role is ensured and the default one disabled; recorded on the volume, then Cassandra is drained and
     * stopped so that the ordinary start that follows opens CQL on the pod's address. False when the agent is
     * shutting down; the agent exits when Cassandra exits on its own meanwhile.
     */
    private boolean foundingStart(AtomicReference<CassandraProcess> cassandra, JmxCassandraNode node, JmxAccess jmx,
                                  CassandraConfigDirectory confDir, Membership membership, List<String> seeds,
                                  VolumeMarker joined, VolumeMarker superuserEnsured) {
        InetSocketAddress loopbackCql = FoundingStart.loopbackCql();
        LOG.info("Founding start: this member is the cluster's only seed and its volume has no {}: CQL listens on {} only "
                + "until the superuser role of the Secret exists and Cassandra's default role is disabled; then "
                + "Cassandra restarts with CQL on {}", VolumeMarker.SUPERUSER_ENSURED, loopbackCql, settings.podIp());
        ConfigFiles config = confDir.write(settings, membership.broadcastAddress(), seeds, Optional.of(loopbackCql));
        List<String> command = FoundingStart.command(CassandraCommandLine.build(javaBinary(), settings, config, jmx,
                Optional.empty(), MetricsExporter.configure(settings, confDir.path())));
        StartupRefusals refusals = new StartupRefusals();
        CassandraProcess founding;
        synchronized (this) {
            if (shuttingDown) {
                return false;
            }
            founding = CassandraProcess.start(command, refusals::observe);
            cassandra.set(founding);
        }
        new NormalWatch(node, List.of(refusals::reachedNormal, new JoinRecorder(joined))).start();
        SuperuserRole role = new SuperuserRole(settings.superuser().orElseThrow(), loopbackCql, settings.datacenter(), node,
                settings.tls().map(MemberTls::clientContext));
        role.start();
        try {
            CompletableFuture.anyOf(role.ensured(), founding.onExit()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        if (!role.ensured().isDone()) {
            role.stop();
            int exitCode = waitForExit(founding);
            if (shuttingDown) {
                return false;
            }
            LOG.error("Cassandra exited on its own with code {} during the founding start: exiting with code {} so the "
                    + "container is restarted", exitCode, CassandraExitCode.asAgentExit(exitCode));
            System.exit(CassandraExitCode.asAgentExit(exitCode));
        }
        superuserEnsured.write();
        synchronized (this) {
            if (shuttingDown) {
                return false;
            }
            LOG.info("Superuser role ensured on CQL {} (wrote {}): restarting Cassandra with CQL on {}", loopbackCql,
                    superuserEnsured.file(), settings.podIp());
            drain(node);
            founding.stop(settings.stopGrace());
            cassandra.set(null);
        }
        return true;
    }

    private static int waitForExit(CassandraProcess process) {
        try {
            return process.waitForExit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /**
     * Remembered on the volume so that later starts report the loss again, while Cassandra refuses to join: the
     * directories Cassandra recreated after a wipe would otherwise make the volume look like it holds data.
     */
    private void reportLostVolume(VolumeMarker lost) {
        try {
            createDirectories(settings.dataDir());
            lost.write();
        } catch (UncheckedIOException e) {
            LOG.error("Could not write {}: {}; reporting the loss by the exit code alone", lost.file(), e.getMessage());
        }
    }

    /** On SIGTERM: drain (so no commit log replay and no lost hints on restart), then stop Cassandra. */
    private void shutDown(AtomicReference<CassandraProcess> started, CassandraNode node, AgentHttpApi api) {
        synchronized (this) {
            shuttingDown = true;
        }
        CassandraProcess cassandra = started.get();
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
