package io.cassandraoperator.local.kubelet;

import java.util.List;
import java.util.Map;

/**
 * What an image means on this machine: the command its entrypoint runs and the environment it provides. A container's
 * {@code command} replaces the entrypoint and its {@code args} are appended, as with a container runtime.
 */
public record LocalImage(List<String> entrypoint, Map<String, String> env) {
    public LocalImage {
        entrypoint = List.copyOf(entrypoint);
        env = Map.copyOf(env);
    }
}
