package io.cassandraoperator.local.kubelet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * One running container: a process of this machine and every process it started. Descendants are remembered while the
 * container runs, because once their parent is gone they are re-parented and {@link ProcessHandle#descendants()} no
 * longer finds them; stopping kills them all, as a container runtime kills a container's whole cgroup.
 */
final class ContainerProcess {
    private final Process process;
    private final Instant startedAt;
    private final Set<ProcessHandle> tree = ConcurrentHashMap.newKeySet();

    private ContainerProcess(Process process, Instant startedAt) {
        this.process = process;
        this.startedAt = startedAt;
    }

    /** Starts the command with exactly this environment; stdout and stderr are appended to the log file. */
    static ContainerProcess start(List<String> command, Map<String, String> env, Path workingDirectory, Path logFile)
            throws IOException {
        Files.createDirectories(workingDirectory);
        Files.createDirectories(logFile.getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(env);
        return new ContainerProcess(builder.start(), Instant.now());
    }

    long pid() {
        return process.pid();
    }

    ProcessHandle toHandle() {
        return process.toHandle();
    }

    Instant startedAt() {
        return startedAt;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code once the process has exited. */
    Integer exitCode() {
        return process.isAlive() ? null : process.exitValue();
    }

    /** Records the current descendants so that they can be killed even after their parent is gone. */
    void rememberDescendants() {
        process.descendants().forEach(tree::add);
    }

    /**
     * SIGTERM to the container's main process (as a container runtime signals PID 1), up to {@code grace} for the
     * whole tree to exit, then SIGKILL of whatever is left.
     */
    void stop(Duration grace) {
        rememberDescendants();
        process.destroy();
        long deadline = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < deadline && anyAlive()) {
            rememberDescendants();
            pause();
        }
        kill();
    }

    /** SIGKILL of the main process and every descendant ever seen. */
    void kill() {
        rememberDescendants();
        process.toHandle().destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && anyAlive()) {
            pause();
        }
    }

    /** Kills descendants left behind by a main process that exited on its own. */
    void killOrphans() {
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private boolean anyAlive() {
        return Stream.concat(Stream.of(process.toHandle()), tree.stream()).anyMatch(ProcessHandle::isAlive);
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
