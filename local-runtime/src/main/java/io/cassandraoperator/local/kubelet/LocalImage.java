package io.cassandraoperator.local.kubelet;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What an image means on this machine: the command its entrypoint runs and the environment it provides. A container's
 * {@code command} replaces the entrypoint and its {@code args} are appended, as with a container runtime.
 *
 * @param user  the image's numeric user ({@code USER} of a container image); null: root, as for an image without one
 * @param group the image's numeric group; null: root's group
 * @param root  the directory holding the image's files, which its entrypoint and env name; the kubelet copies it where
 *              a container's user can read it when it is not (null: the image names only paths it needs no copy of)
 */
public record LocalImage(List<String> entrypoint, Map<String, String> env, Long user, Long group, Path root) {
    public LocalImage {
        entrypoint = List.copyOf(entrypoint);
        env = Map.copyOf(env);
    }

    /** An image without a user of its own (it runs as root, or as the pod's runAsUser), whose files need no copy. */
    public LocalImage(List<String> entrypoint, Map<String, String> env) {
        this(entrypoint, env, null, null, null);
    }

    /** The same image with every occurrence of {@code from} at the start of an argument or env value moved to {@code to}. */
    LocalImage relocated(Path from, Path to) {
        String prefix = from.toString();
        UnaryOperator<String> move = value -> value.startsWith(prefix)
                ? to + value.substring(prefix.length()) : value;
        Map<String, String> movedEnv = new LinkedHashMap<>();
        env.forEach((name, value) -> movedEnv.put(name, move.apply(value)));
        return new LocalImage(entrypoint.stream().map(move).toList(), movedEnv, user, group, to);
    }
}
