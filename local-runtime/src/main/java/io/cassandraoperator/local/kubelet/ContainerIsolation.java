package io.cassandraoperator.local.kubelet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How the kubelet runs a container's process under its security context on this machine, when it runs as root:
 * {@code setpriv} drops to the container's uid, gid and supplementary groups; a container with
 * {@code readOnlyRootFilesystem} or a volume at {@code /tmp} gets a private mount namespace ({@code unshare --mount}),
 * in which every mount but {@code /proc} and {@code /dev} is remounted read-only and each volume's directory is bound
 * writable (read-only for readOnly mounts, Secrets and ConfigMaps) at its path, and the {@code /tmp} volume over
 * {@code /tmp}. Neither {@code unshare} (no {@code --fork}), the shell ({@code exec}) nor {@code setpriv} forks, so the
 * PID the kubelet started is the container's main process, which it signals.
 *
 * <p>Processes here see this machine's paths (env values under a mount path are rewritten to the volume's directory),
 * so a volume whose directory lies under {@code /tmp} while {@code /tmp} is the pod's own is bound again inside the
 * pod's {@code /tmp} at the same path, on a mount point the kubelet creates there.
 *
 * <p>Not run as root (a developer's laptop), the kubelet cannot switch users: containers run as the runtime's user
 * with its file system, and that is logged once. Root without CAP_SYS_ADMIN (an unprivileged container) switches
 * users but makes no mount namespace, also logged once.
 */
final class ContainerIsolation {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerIsolation.class);
    private static final Path TMP = Path.of("/tmp");
    private static final List<Path> LEFT_WRITABLE = List.of(Path.of("/proc"), Path.of("/dev"));
    /** Runs the mount steps given as arguments, then execs the rest: "remount PATH OPTIONS", "bind FROM TO OPTIONS". */
    static final String MOUNT_SCRIPT = String.join("\n",
            "set -e",
            "mount=$1; shift",
            "while [ \"$1\" != -- ]; do",
            "  case \"$1\" in",
            "    remount) \"$mount\" -o \"$3\" \"$2\"; shift 3 ;;",
            "    bind) \"$mount\" --rbind \"$2\" \"$3\"; \"$mount\" -o \"$4\" \"$3\"; shift 4 ;;",
            "    *) echo \"unknown mount step: $1\" >&2; exit 64 ;;",
            "  esac",
            "done",
            "shift",
            "exec \"$@\"");

    private final Tools tools;
    private final boolean mountNamespaces;
    private final String notEnforced;

    /** Absolute paths of the programs the kubelet wraps a container's command in. */
    record Tools(String unshare, String setpriv, String mount, String shell, String nsenter) {
    }

    /** A directory of this machine bound at {@code target} inside the container's mount namespace. */
    record Bind(Path source, Path target, boolean readOnly) {
    }

    /**
     * The mount namespace of one container: the directories the kubelet must create first (mount points inside the
     * pod's {@code /tmp}) and the steps {@link #MOUNT_SCRIPT} runs.
     */
    record MountPlan(List<Path> mountPoints, List<String> steps) {
        MountPlan {
            mountPoints = List.copyOf(mountPoints);
            steps = List.copyOf(steps);
        }
    }

    private ContainerIsolation(Tools tools, boolean mountNamespaces, String notEnforced) {
        this.tools = tools;
        this.mountNamespaces = mountNamespaces;
        this.notEnforced = notEnforced;
    }

    /** Isolation by these programs, mount namespaces included (for tests). */
    static ContainerIsolation enforcedWith(Tools tools) {
        return new ContainerIsolation(tools, true, null);
    }

    /**
     * Enforced when this process is root, has the programs, and a container's user can reach the state directory
     * (opened for traversal here, the runtime owns it) and this JVM's JDK, which every bundled image runs on.
     */
    static ContainerIsolation detect(Path stateDirectory) {
        String reason = null;
        Tools tools = null;
        long uid = currentUid();
        if (uid != 0) {
            reason = "the runtime runs as uid " + uid + ", not root, and cannot switch users";
        } else {
            Optional<String> unshare = onPath("unshare");
            Optional<String> setpriv = onPath("setpriv");
            Optional<String> mount = onPath("mount");
            Optional<String> shell = onPath("sh");
            Optional<String> nsenter = onPath("nsenter");
            if (unshare.isEmpty() || setpriv.isEmpty() || mount.isEmpty() || shell.isEmpty() || nsenter.isEmpty()) {
                reason = "unshare, setpriv, mount, nsenter and sh (util-linux) are not all on the PATH";
            } else {
                tools = new Tools(unshare.get(), setpriv.get(), mount.get(), shell.get(), nsenter.get());
                Traversal.open(stateDirectory, stateDirectory);
                Path javaHome = Path.of(System.getProperty("java.home"));
                Optional<Path> blocked = Traversal.blockedAt(stateDirectory).or(() -> Traversal.blockedAt(javaHome));
                if (blocked.isPresent()) {
                    reason = "a container's user cannot reach the state directory " + stateDirectory
                            + " or the JDK " + javaHome + ": " + blocked.get()
                            + " is not searchable by others (put --state-dir and the JDK where every user may traverse)";
                }
            }
        }
        if (reason != null) {
            LOG.warn("pod security context NOT enforced: {}; containers run as this process's user with its whole file"
                    + " system (runAsUser, runAsGroup, fsGroup and readOnlyRootFilesystem are ignored; runAsNonRoot"
                    + " is still checked against the pod's spec)", reason);
            return new ContainerIsolation(null, false, reason);
        }
        Optional<String> noMountNamespace = mountNamespaceRefusal(tools);
        if (noMountNamespace.isPresent()) {
            LOG.warn("pod security context enforced in part: containers run as their runAsUser/runAsGroup/fsGroup"
                    + " (setpriv), but this process may not make a mount namespace (no CAP_SYS_ADMIN, as in an"
                    + " unprivileged container), so readOnlyRootFilesystem and a private /tmp are NOT enforced: {}",
                    noMountNamespace.get());
            return new ContainerIsolation(tools, false, null);
        }
        LOG.info("pod security context enforced: containers run as their runAsUser/runAsGroup/fsGroup (setpriv), and"
                + " with a read-only root file system in a private mount namespace when they ask for it (unshare)");
        return new ContainerIsolation(tools, true, null);
    }

    /** Why a throwaway mount namespace cannot remount {@code /} read-only here, if it cannot. */
    private static Optional<String> mountNamespaceRefusal(Tools tools) {
        String rootOptions = HostMount.holding(HostMount.ofThisProcess(), Path.of("/"))
                .map(mount -> mount.remountOptions("ro")).orElse("remount,bind,ro");
        try {
            Process probe = new ProcessBuilder(tools.unshare(), "--mount", "--propagation", "private", "--",
                    tools.mount(), "-o", rootOptions, "/").redirectErrorStream(true).start();
            if (!probe.waitFor(10, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                return Optional.of("unshare did not finish within 10 s");
            }
            String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return probe.exitValue() == 0 ? Optional.empty()
                    : Optional.of("unshare exited with " + probe.exitValue() + ": " + output.trim());
        } catch (IOException e) {
            return Optional.of(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    boolean enforced() {
        return tools != null;
    }

    /** Whether containers can get a private mount namespace (a read-only root, their own /tmp). */
    boolean isolatesMounts() {
        return tools != null && mountNamespaces;
    }

    /** Why the security context is not enforced, or null when it is. */
    String notEnforced() {
        return notEnforced;
    }

    /** The command that runs {@code command} as the security context asks (unchanged when nothing is enforced). */
    List<String> command(List<String> command, ContainerSecurity security, MountPlan mounts) {
        if (!enforced()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>();
        if (isolatesMounts() && !mounts.steps().isEmpty()) {
            wrapped.addAll(List.of(tools.unshare(), "--mount", "--propagation", "private", "--",
                    tools.shell(), "-c", MOUNT_SCRIPT, "container-mounts", tools.mount()));
            wrapped.addAll(mounts.steps());
            wrapped.add("--");
        }
        wrapped.addAll(privileges(security));
        wrapped.addAll(command);
        return wrapped;
    }

    /**
     * The command that runs {@code command} beside a running container's main process ({@code kubectl exec}): in its
     * mount namespace when it has its own ({@code nsenter}), as its user ({@code setpriv}).
     *
     * @param mountNamespaceOf the main process, when the container was started in a mount namespace of its own
     */
    List<String> execCommand(List<String> command, ContainerSecurity security, Optional<Long> mountNamespaceOf) {
        if (!enforced()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>();
        mountNamespaceOf.ifPresent(pid -> wrapped.addAll(List.of(tools.nsenter(), "--target", Long.toString(pid),
                "--mount", "--")));
        wrapped.addAll(privileges(security));
        wrapped.addAll(command);
        return wrapped;
    }

    /** {@code setpriv} to the security context's uid, gid and groups; nothing for root without restrictions. */
    private List<String> privileges(ContainerSecurity security) {
        if (security.uid() == 0 && security.gid() == 0 && security.groups().isEmpty() && !security.noNewPrivileges()) {
            return List.of();
        }
        List<String> setpriv = new ArrayList<>(List.of(tools.setpriv(), "--reuid=" + security.uid(),
                "--regid=" + security.gid(), security.groups().isEmpty() ? "--clear-groups" : "--groups="
                        + security.groups().stream().map(String::valueOf).collect(Collectors.joining(","))));
        if (security.noNewPrivileges()) {
            setpriv.add("--no-new-privs");
        }
        setpriv.add("--");
        return setpriv;
    }

    /**
     * The mount namespace a container needs: none unless it asks for a read-only root or has a volume at
     * {@code /tmp}. {@code reads} are directories it must still see (its image) when {@code /tmp} is replaced.
     */
    static MountPlan plan(List<HostMount> host, boolean readOnlyRoot, List<Bind> volumes, Path tmpVolume,
                          List<Path> reads) {
        if (!readOnlyRoot && tmpVolume == null) {
            return new MountPlan(List.of(), List.of());
        }
        List<String> steps = new ArrayList<>();
        if (readOnlyRoot) {
            for (HostMount mount : host) {
                if (LEFT_WRITABLE.stream().noneMatch(mount.mountPoint()::startsWith)) {
                    steps.addAll(List.of("remount", mount.mountPoint().toString(), mount.remountOptions("ro")));
                }
            }
        }
        List<Path> mountPoints = new ArrayList<>();
        List<Bind> afterTmp = new ArrayList<>();
        List<Bind> binds = Stream.concat(volumes.stream(), reads.stream().map(read -> new Bind(read, read, true)))
                .toList();
        for (Bind bind : binds) {
            Path target = bind.target().toAbsolutePath().normalize();
            if (tmpVolume != null && target.startsWith(TMP)) {
                Path inTmp = tmpVolume.resolve(TMP.relativize(target).toString());
                mountPoints.add(inTmp);
                steps.addAll(bindStep(host, bind.source(), inTmp, bind.readOnly()));
            } else if (volumes.contains(bind)) {
                // Reads outside the replaced /tmp are visible as they are; volumes get their own access.
                afterTmp.add(bind);
            }
        }
        if (tmpVolume != null) {
            steps.addAll(bindStep(host, tmpVolume, TMP, false));
        }
        for (Bind bind : afterTmp) {
            steps.addAll(bindStep(host, bind.source(), bind.target(), bind.readOnly()));
        }
        return new MountPlan(mountPoints, steps);
    }

    private static List<String> bindStep(List<HostMount> host, Path source, Path target, boolean readOnly) {
        String access = readOnly ? "ro" : "rw";
        String options = HostMount.holding(host, source).map(mount -> mount.remountOptions(access))
                .orElse("remount,bind," + access);
        return List.of("bind", source.toString(), target.toString(), options);
    }

    private static long currentUid() {
        try {
            // /proc/self belongs to this process's effective user.
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    private static Optional<String> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(":")).filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, program))
                .filter(Files::isExecutable).map(Path::toString).findFirst();
    }
}
