package io.cassandraoperator.local.apiserver;

import java.io.IOException;
import java.util.List;

/**
 * What {@code pods/{name}/exec} runs a command with; the kubelet implements it. The API server resolves the container
 * name (the pod's only container when the request names none) before asking.
 */
public interface PodExecSource {
    /**
     * Starts {@code command} in the running container: as its user, with its environment, working directory and file
     * system, the command's name looked up on the container's {@code PATH}, as a container runtime's exec does.
     *
     * @return the running command; its stdin is open only when {@code stdin} is true
     * @throws IllegalStateException    when the container is not running
     * @throws IllegalArgumentException when the command is not found in the container
     */
    Process start(String namespace, String pod, String container, List<String> command, boolean stdin)
            throws IOException;
}
