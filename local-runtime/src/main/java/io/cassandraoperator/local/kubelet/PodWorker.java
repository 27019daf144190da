package io.cassandraoperator.local.kubelet;

import io.cassandraoperator.local.network.LoopbackAddressPool;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.apache.commons.io.file.PathUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Runs one pod (one pod UID) on its own thread: prepares its volumes, gives it an address, starts, probes and restarts
 * its containers, reports its status, and stops it when it is deleted or the kubelet shuts down.
 */
final class PodWorker implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(PodWorker.class);
    private static final Duration TICK = Duration.ofMillis(200);
    private static final Duration IMAGE_RETRY = Duration.ofSeconds(5);

    private final KubernetesClient client;
    private final ObjectLookup objects;
    private final ImageCatalog images;
    private final LoopbackAddressPool addresses;
    private final KubeletSettings settings;
    private final HttpClient http;
    private final ContainerIsolation isolation;
    private final ImageStaging staging;
    private final Set<String> ownedVolumes = new HashSet<>();
    private final String namespace;
    private final String name;
    private final Path directory;
    private final PodVolumes volumes;
    private final List<ContainerSlot> containers = new ArrayList<>();
    private final Object signal = new Object();

    private volatile Pod latest;
    private volatile boolean gone;
    private volatile boolean shutdown;
    private volatile boolean killRequested;
    private String podIP;
    private Instant startTime;
    private PodStatus reported;
    private Map<String, Path> volumeDirectories;
    private String volumeFingerprint;
    private String volumeWaiting;
    private String statusFailure;

    PodWorker(Pod pod, KubernetesClient client, ObjectLookup objects, ImageCatalog images,
              LoopbackAddressPool addresses, KubeletSettings settings, HttpClient http,
              ContainerIsolation isolation, ImageStaging staging) {
        this.latest = pod;
        this.client = client;
        this.objects = objects;
        this.images = images;
        this.addresses = addresses;
        this.settings = settings;
        this.http = http;
        this.isolation = isolation;
        this.staging = staging;
        this.namespace = pod.getMetadata().getNamespace();
        this.name = pod.getMetadata().getName();
        this.directory = settings.podDirectory(namespace, name);
        this.volumes = new PodVolumes(directory, objects);
        pod.getSpec().getContainers().forEach(c -> containers.add(new ContainerSlot(c)));
    }

    String describe() {
        return namespace + "/" + name;
    }

    void update(Pod pod) {
        latest = pod;
        wake();
    }

    /** The pod left the API without this kubelet finishing it (force deletion, node deletion). */
    void gone() {
        gone = true;
        wake();
    }

    /** The kubelet stops: stop the containers gracefully, leave the pod in the API. */
    void shutdown() {
        shutdown = true;
        wake();
    }

    /** Whether the named container of this pod has a running process (which {@link #exec} runs beside). */
    boolean running(String container) {
        return slot(container).map(slot -> slot.launch).filter(ContainerLaunch::running).isPresent();
    }

    /**
     * {@code kubectl exec}: starts {@code command} beside the running container, with its environment, working
     * directory, user and mount namespace; stdout and stderr are the returned process's.
     *
     * @throws IllegalStateException    when the container is not running
     * @throws IllegalArgumentException when the command's program is not on the container's PATH
     */
    Process exec(String container, List<String> command, boolean stdin) throws IOException {
        ContainerLaunch launch = slot(container).map(slot -> slot.launch).filter(ContainerLaunch::running)
                .orElseThrow(() -> new IllegalStateException("container " + container + " of pod " + describe()
                        + " is not running"));
        ProcessBuilder builder = new ProcessBuilder(isolation.execCommand(launch.resolve(command), launch.security(),
                launch.mountNamespaceOf())).directory(launch.workingDirectory().toFile());
        builder.environment().clear();
        builder.environment().putAll(launch.env());
        if (!stdin) {
            builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        return builder.start();
    }

    private Optional<ContainerSlot> slot(String container) {
        return containers.stream().filter(slot -> slot.spec.getName().equals(container)).findFirst();
    }

    /** Failure injection: SIGKILL of every container's process tree; the containers then restart as after a crash. */
    void killContainers() {
        killRequested = true;
        wake();
    }

    @Override
    public void run() {
        try {
            startFresh();
            while (true) {
                Pod pod = latest;
                if (gone) {
                    LOG.info("pod {} was removed from the API: killing its containers at once so that no replacement"
                            + " shares its volumes with them", describe());
                    stopAll(Duration.ZERO);
                    break;
                }
                if (shutdown) {
                    Duration grace = Duration.ofSeconds(terminationGrace(pod));
                    LOG.info("kubelet shutting down: stopping pod {} (grace {}s)", describe(), grace.toSeconds());
                    stopAll(grace);
                    report();
                    break;
                }
                if (pod.getMetadata().getDeletionTimestamp() != null) {
                    terminate(pod);
                    break;
                }
                sync(pod);
                pause();
            }
        } catch (RuntimeException e) {
            LOG.error("pod {}: worker failed; killing its containers", describe(), e);
            stopAll(Duration.ZERO);
        } finally {
            if (podIP != null) {
                addresses.release(podIP);
            }
        }
    }

    /**
     * Processes a previous kubelet left running (it was killed without stopping its pods) would share the volumes with
     * new ones: they are killed first. A pod this kubelet has not run before under this UID: emptyDirs, old logs and
     * PID files belong to a previous pod.
     */
    private void startFresh() {
        for (ContainerSlot slot : containers) {
            RecordedProcess.read(KubeletSettings.pidFile(directory, slot.spec.getName())).ifPresent(orphan -> {
                LOG.warn("pod {}: container {} of a previous kubelet still runs (pid {}): killing it before starting"
                        + " the pod", describe(), slot.spec.getName(), orphan.pid());
                RecordedProcess.killTree(orphan);
            });
        }
        try {
            Path uidFile = directory.resolve("uid");
            String uid = latest.getMetadata().getUid();
            if (!Files.isRegularFile(uidFile) || !Files.readString(uidFile).equals(uid)) {
                for (String sub : List.of("volumes", "logs", "containers")) {
                    deleteTree(directory.resolve(sub));
                }
                Files.createDirectories(directory);
                Files.writeString(uidFile, uid == null ? "" : uid);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        startTime = Instant.now();
    }

    private void sync(Pod pod) {
        if (killRequested) {
            killRequested = false;
            for (ContainerSlot slot : containers) {
                if (slot.process != null) {
                    LOG.info("pod {}: killing container {} (pid {}) on request", describe(), slot.spec.getName(),
                            slot.process.pid());
                    slot.process.kill();
                }
            }
        }
        if (!prepareVolumes(pod)) {
            report();
            return;
        }
        if (podIP == null) {
            podIP = allocateAddress(pod);
        }
        Instant now = Instant.now();
        for (ContainerSlot slot : containers) {
            if (slot.process != null && !slot.process.isAlive()) {
                recordExit(slot, now);
            }
            if (slot.process == null && !now.isBefore(slot.nextStart)) {
                startContainer(pod, slot, now);
            }
            if (slot.process != null && slot.process.isAlive()) {
                slot.process.rememberDescendants();
                probe(pod, slot, now);
            }
        }
        report();
    }

    /** Returns whether every volume is ready; refreshes ConfigMap and Secret files when their objects changed. */
    private boolean prepareVolumes(Pod pod) {
        String fingerprint = volumeFingerprint(pod);
        if (volumeDirectories != null && fingerprint.equals(volumeFingerprint)) {
            return true;
        }
        PodVolumes.Result result = volumes.prepare(pod);
        if (result instanceof PodVolumes.Ready ready) {
            if (isolation.enforced()) {
                giveVolumesToThePod(pod, ready.directories());
            }
            volumeDirectories = ready.directories();
            volumeFingerprint = fingerprint;
            volumeWaiting = null;
            return true;
        }
        String message = ((PodVolumes.Waiting) result).message();
        if (!message.equals(volumeWaiting)) {
            LOG.info("pod {}: waiting for volumes: {}", describe(), message);
        }
        volumeWaiting = message;
        if (volumeDirectories != null) {
            // Running containers keep their volumes; only new starts wait.
            return true;
        }
        for (ContainerSlot slot : containers) {
            slot.state = ContainerSlot.waiting("ContainerCreating", message);
        }
        return false;
    }

    /**
     * What a kubelet does when it mounts volumes for a pod that runs as a non-root user: the directories on the way from
     * the state directory to each volume become searchable, and the pod's fsGroup is applied (Secrets and ConfigMaps
     * on every rewrite; emptyDirs and claims once per pod start, as at their mount, so what the container later makes
     * owner-only stays so). hostPath volumes are left as they are, as in Kubernetes.
     */
    private void giveVolumesToThePod(Pod pod, Map<String, Path> directories) {
        Long fsGroup = ContainerSecurity.fsGroup(pod);
        for (Volume volume : Objects.requireNonNullElse(pod.getSpec().getVolumes(), List.<Volume>of())) {
            Path volumeDirectory = directories.get(volume.getName());
            if (volumeDirectory == null || volume.getHostPath() != null) {
                continue;
            }
            Traversal.open(settings.stateDirectory(), volumeDirectory);
            boolean projected = projected(volume);
            if (fsGroup != null && (projected || ownedVolumes.add(volume.getName()))) {
                VolumeOwnership.apply(volumeDirectory, fsGroup, projected);
            }
        }
    }

    /** Secrets and ConfigMaps: written by the kubelet, read-only to the container, as Kubernetes mounts them. */
    private static boolean projected(Volume volume) {
        return volume.getSecret() != null || volume.getConfigMap() != null;
    }

    /** Resource versions of every object the volumes read: unchanged means nothing to rewrite. */
    private String volumeFingerprint(Pod pod) {
        StringBuilder fingerprint = new StringBuilder();
        for (var volume : Objects.requireNonNullElse(pod.getSpec().getVolumes(), List.<Volume>of())) {
            Object object = null;
            if (volume.getConfigMap() != null) {
                object = objects.configMap(namespace, volume.getConfigMap().getName());
            } else if (volume.getSecret() != null) {
                object = objects.secret(namespace, volume.getSecret().getSecretName());
            } else if (volume.getPersistentVolumeClaim() != null) {
                var claim = objects.claim(namespace, volume.getPersistentVolumeClaim().getClaimName());
                object = claim;
                if (claim != null && claim.getSpec().getVolumeName() != null) {
                    var bound = objects.volume(claim.getSpec().getVolumeName());
                    fingerprint.append(bound == null ? "-" : bound.getMetadata().getResourceVersion()).append('/');
                }
            }
            fingerprint.append(volume.getName()).append('=')
                    .append(object instanceof io.fabric8.kubernetes.api.model.HasMetadata m
                            ? m.getMetadata().getUid() + ":" + m.getMetadata().getResourceVersion() : "-")
                    .append(';');
        }
        return fingerprint.toString();
    }

    /** The address the pod had before a restart of the runtime if it is free (a node keeps its sandbox), else a new one. */
    private String allocateAddress(Pod pod) {
        String previous = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        String address = previous != null && addresses.reserve(previous) ? previous : addresses.allocate();
        LOG.info("pod {}: address {}", describe(), address);
        return address;
    }

    private void recordExit(ContainerSlot slot, Instant now) {
        int exitCode = slot.process.exitCode();
        slot.process.killOrphans();
        slot.lastState = new ContainerStateBuilder().withNewTerminated()
                .withExitCode(exitCode)
                .withReason(exitCode == 0 ? "Completed" : "Error")
                .withStartedAt(PodStatusReport.time(slot.process.startedAt()))
                .withFinishedAt(PodStatusReport.time(now))
                .withContainerID("local://" + slot.process.pid())
                .endTerminated().build();
        boolean ranLong = Duration.between(slot.process.startedAt(), now).compareTo(Duration.ofMinutes(10)) > 0;
        slot.backOff = slot.backOff == null || ranLong ? settings.initialBackOff()
                : min(slot.backOff.multipliedBy(2), settings.maxBackOff());
        slot.nextStart = now.plus(slot.backOff);
        slot.restartCount++;
        slot.state = ContainerSlot.waiting("CrashLoopBackOff", "back-off " + slot.backOff.toSeconds()
                + "s restarting failed container=" + slot.spec.getName() + " pod=" + name);
        LOG.info("pod {}: container {} exited with code {}; restarting in {}s (restart {})", describe(),
                slot.spec.getName(), exitCode, slot.backOff.toSeconds(), slot.restartCount);
        slot.process = null;
        slot.readiness = null;
        slot.liveness = null;
        deleteQuietly(KubeletSettings.pidFile(directory, slot.spec.getName()));
    }

    private void startContainer(Pod pod, ContainerSlot slot, Instant now) {
        Container container = slot.spec;
        ImageCatalog.Resolution resolution = images.resolve(container.getImage());
        if (resolution.image() == null) {
            if (!"ErrImagePull".equals(reason(slot))) {
                LOG.warn("pod {}: container {}: {}", describe(), container.getName(), resolution.failure());
            }
            slot.state = ContainerSlot.waiting("ErrImagePull", resolution.failure());
            slot.nextStart = now.plus(IMAGE_RETRY);
            return;
        }
        ContainerSecurity security = ContainerSecurity.of(pod, container, resolution.image());
        Optional<String> refusal = security.nonRootRefusal(pod, container);
        if (refusal.isPresent()) {
            if (!"CreateContainerConfigError".equals(reason(slot))) {
                LOG.warn("pod {}: container {} is not started: {}", describe(), container.getName(), refusal.get());
            }
            slot.state = ContainerSlot.waiting("CreateContainerConfigError", refusal.get());
            return;
        }
        LocalImage image;
        try {
            image = isolation.enforced() && security.uid() != 0
                    ? staging.readable(resolution.image()) : resolution.image();
        } catch (UncheckedIOException e) {
            LOG.warn("pod {}: container {}: {}", describe(), container.getName(), e.getMessage());
            slot.state = ContainerSlot.waiting("CreateContainerError", e.getMessage() + ": " + e.getCause().getMessage());
            slot.nextStart = now.plus(IMAGE_RETRY);
            return;
        }
        Map<String, String> env;
        try {
            env = ContainerEnvironment.resolve(pod, container, image, podIP, settings.hostIP(), objects,
                    volumeDirectories);
        } catch (ContainerConfigException e) {
            if (!"CreateContainerConfigError".equals(reason(slot))) {
                LOG.info("pod {}: container {} cannot start yet: {}", describe(), container.getName(), e.getMessage());
            }
            slot.state = ContainerSlot.waiting("CreateContainerConfigError", e.getMessage());
            return;
        }
        List<String> command = new ArrayList<>(container.getCommand() == null || container.getCommand().isEmpty()
                ? image.entrypoint() : container.getCommand());
        if (container.getArgs() != null) {
            container.getArgs().forEach(arg -> command.add(ContainerEnvironment.expand(arg, env)));
        }
        Path workingDirectory = container.getWorkingDir() == null ? directory
                : Path.of(ContainerEnvironment.toHostPath(container.getWorkingDir(),
                Objects.requireNonNullElse(container.getVolumeMounts(), List.of()), volumeDirectories));
        try {
            ContainerIsolation.MountPlan mounts = isolation.isolatesMounts()
                    ? mountPlan(pod, container, security, image) : new ContainerIsolation.MountPlan(List.of(), List.of());
            for (Path mountPoint : mounts.mountPoints()) {
                Files.createDirectories(mountPoint);
            }
            slot.process = ContainerProcess.start(isolation.command(command, security, mounts), env, workingDirectory,
                    KubeletSettings.logFile(directory, container.getName()));
            slot.launch = new ContainerLaunch(slot.process.pid(), env, workingDirectory, security,
                    !mounts.steps().isEmpty());
        } catch (IOException e) {
            LOG.warn("pod {}: container {} failed to start: {}", describe(), container.getName(), e.getMessage());
            slot.state = ContainerSlot.waiting("RunContainerError", e.getMessage());
            slot.nextStart = now.plus(settings.initialBackOff());
            return;
        }
        RecordedProcess.write(KubeletSettings.pidFile(directory, container.getName()), slot.process.toHandle());
        LOG.info("pod {}: started container {} (pid {}) on {}{}: {}", describe(), container.getName(),
                slot.process.pid(), podIP, isolation.enforced() ? " as uid " + security.uid() + " gid "
                        + security.gid() + " groups " + security.groups()
                        + (security.readOnlyRootFilesystem() && isolation.isolatesMounts()
                        ? ", read-only root file system" : "") : "",
                String.join(" ", command));
        slot.state = new ContainerStateBuilder().withNewRunning()
                .withStartedAt(PodStatusReport.time(slot.process.startedAt())).endRunning().build();
        slot.readiness = container.getReadinessProbe() == null ? null
                : new ContainerProbe(container.getReadinessProbe(), container, http, now, false);
        slot.liveness = container.getLivenessProbe() == null ? null
                : new ContainerProbe(container.getLivenessProbe(), container, http, now, true);
    }

    /**
     * The container's mount namespace: each of its volumes bound at its directory (read-only when the mount is, and
     * for Secrets and ConfigMaps), the volume mounted at {@code /tmp} over {@code /tmp}, and its image kept visible.
     */
    private ContainerIsolation.MountPlan mountPlan(Pod pod, Container container, ContainerSecurity security,
                                                   LocalImage image) {
        Map<String, Volume> volumesByName = new HashMap<>();
        Objects.requireNonNullElse(pod.getSpec().getVolumes(), List.<Volume>of())
                .forEach(volume -> volumesByName.put(volume.getName(), volume));
        List<ContainerIsolation.Bind> binds = new ArrayList<>();
        Path tmpVolume = null;
        for (VolumeMount mount : Objects.requireNonNullElse(container.getVolumeMounts(), List.<VolumeMount>of())) {
            Path host = volumeDirectories.get(mount.getName());
            if (host == null) {
                continue;
            }
            if (mount.getSubPath() != null && !mount.getSubPath().isEmpty()) {
                host = host.resolve(mount.getSubPath());
            }
            if (Path.of(mount.getMountPath()).normalize().equals(Path.of("/tmp"))) {
                tmpVolume = host;
                continue;
            }
            Volume volume = volumesByName.get(mount.getName());
            boolean readOnly = Boolean.TRUE.equals(mount.getReadOnly()) || (volume != null && projected(volume));
            binds.add(new ContainerIsolation.Bind(host, host, readOnly));
        }
        return ContainerIsolation.plan(HostMount.ofThisProcess(), security.readOnlyRootFilesystem(), binds, tmpVolume,
                image.root() == null ? List.of() : List.of(image.root()));
    }

    private void probe(Pod pod, ContainerSlot slot, Instant now) {
        if (slot.readiness != null && slot.readiness.probeIfDue(now, podIP)) {
            LOG.info("pod {}: container {} is {}", describe(), slot.spec.getName(),
                    slot.readiness.passing() ? "ready" : "not ready: " + slot.readiness.lastFailure());
        }
        if (slot.liveness != null && slot.liveness.probeIfDue(now, podIP) && !slot.liveness.passing()) {
            LOG.info("pod {}: container {} failed its liveness probe ({}): restarting it", describe(),
                    slot.spec.getName(), slot.liveness.lastFailure());
            slot.process.stop(Duration.ofSeconds(terminationGrace(pod)));
        }
    }

    /** Graceful deletion: stop within the deletion's grace period, then remove the pod from the API. */
    private void terminate(Pod pod) {
        Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
        long seconds = grace != null ? grace : terminationGrace(pod);
        LOG.info("pod {} is being deleted: stopping its containers (grace {}s)", describe(), seconds);
        stopAll(Duration.ofSeconds(seconds));
        report();
        try {
            client.pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
            LOG.info("pod {}: containers stopped, pod deleted", describe());
        } catch (KubernetesClientException e) {
            LOG.warn("pod {}: containers stopped, but deleting the pod failed: {}", describe(), e.getMessage());
        }
    }

    /** Stops every container in parallel (each gets the full grace period, as in a kubelet). */
    private void stopAll(Duration grace) {
        List<Thread> stopping = new ArrayList<>();
        for (ContainerSlot slot : containers) {
            if (slot.process == null) {
                continue;
            }
            ContainerProcess process = slot.process;
            Thread thread = new Thread(() -> {
                if (grace.isZero()) {
                    process.kill();
                } else {
                    process.stop(grace);
                }
            }, "stop-" + name + "-" + slot.spec.getName());
            thread.start();
            stopping.add(thread);
        }
        stopping.forEach(PodWorker::join);
        Instant now = Instant.now();
        for (ContainerSlot slot : containers) {
            if (slot.process != null) {
                Integer exitCode = slot.process.exitCode();
                slot.state = new ContainerStateBuilder().withNewTerminated()
                        .withExitCode(exitCode == null ? 137 : exitCode)
                        .withReason(exitCode != null && exitCode == 0 ? "Completed" : "Error")
                        .withStartedAt(PodStatusReport.time(slot.process.startedAt()))
                        .withFinishedAt(PodStatusReport.time(now))
                        .withContainerID("local://" + slot.process.pid())
                        .endTerminated().build();
                slot.process = null;
                deleteQuietly(KubeletSettings.pidFile(directory, slot.spec.getName()));
            }
        }
    }

    /** Writes the status when it changed; a failed write is retried on the next tick. */
    private void report() {
        PodStatus status = PodStatusReport.build(reported, containers.stream().map(ContainerSlot::status).toList(),
                podIP, settings.hostIP(), startTime, Instant.now());
        if (status.equals(reported)) {
            return;
        }
        try {
            // A JSON patch computed from the current object: exact for lists (containerStatuses, conditions), which
            // the CRUD mock's merge patch would append to instead of replacing.
            client.pods().inNamespace(namespace).withName(name).editStatus(current -> {
                current.setStatus(status);
                return current;
            });
            reported = status;
            statusFailure = null;
        } catch (KubernetesClientException e) {
            if (!Objects.equals(statusFailure, e.getMessage())) {
                LOG.warn("pod {}: writing status failed (will retry): {}", describe(), e.getMessage());
            }
            statusFailure = e.getMessage();
        }
    }

    private static long terminationGrace(Pod pod) {
        Long grace = pod.getSpec().getTerminationGracePeriodSeconds();
        return grace == null ? 30 : grace;
    }

    private static String reason(ContainerSlot slot) {
        return slot.state.getWaiting() == null ? null : slot.state.getWaiting().getReason();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void pause() {
        synchronized (signal) {
            try {
                signal.wait(TICK.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", path, e.getMessage());
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            PathUtils.deleteDirectory(root);
        }
    }
}
