package io.cassandraoperator.local.kubelet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * How a running container was started, which is how {@code kubectl exec} runs a command beside it: the same
 * environment, working directory and user, and its mount namespace when it has one of its own.
 *
 * @param mainPid              the container's main process
 * @param ownMountNamespace    whether the main process runs in a mount namespace of its own
 */
record ContainerLaunch(long mainPid, Map<String, String> env, Path workingDirectory, ContainerSecurity security,
                       boolean ownMountNamespace) {
    /** A container runtime's PATH for an image that sets none (containerd's and CRI-O's default). */
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    ContainerLaunch {
        env = Map.copyOf(env);
    }

    boolean running() {
        return ProcessHandle.of(mainPid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * The command with its program looked up on the container's PATH, as the runtime's exec does.
     *
     * @throws IllegalArgumentException when no such program is there
     */
    List<String> resolve(List<String> command) {
        String program = command.get(0);
        if (program.contains("/")) {
            return command;
        }
        String path = env.getOrDefault("PATH", DEFAULT_PATH);
        Path found = Stream.of(path.split(":")).filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, program))
                .filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("exec: \"" + program
                        + "\": executable file not found in $PATH (" + path + ")"));
        return Stream.concat(Stream.of(found.toString()), command.stream().skip(1)).toList();
    }

    Optional<Long> mountNamespaceOf() {
        return ownMountNamespace ? Optional.of(mainPid) : Optional.empty();
    }
}
