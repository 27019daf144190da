package io.cassandraoperator.local.kubelet;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the kubelet runs pods on this machine.
 *
 * @param stateDirectory  pods' directories (volumes, logs, PID files) live under {@code <state>/pods}
 * @param hostIP          the node's address reported as {@code status.hostIP}
 * @param initialBackOff  first delay before restarting an exited container; doubles per restart up to {@code maxBackOff}
 * @param maxBackOff      longest restart delay (kubelet: 5 min; shorter here, a laptop cluster should recover quickly)
 */
public record KubeletSettings(Path stateDirectory, String hostIP, Duration initialBackOff, Duration maxBackOff) {
    public static KubeletSettings defaults(Path stateDirectory) {
        return new KubeletSettings(stateDirectory, "127.0.0.1", Duration.ofSeconds(2), Duration.ofSeconds(60));
    }

    public KubeletSettings withBackOff(Duration initial, Duration max) {
        return new KubeletSettings(stateDirectory, hostIP, initial, max);
    }

    /** The directory of a pod (by namespace and name, so tools can find it without asking the API). */
    public Path podDirectory(String namespace, String name) {
        return stateDirectory.resolve("pods").resolve(namespace).resolve(name);
    }

    public static Path logFile(Path podDirectory, String container) {
        return podDirectory.resolve("logs").resolve(container + ".log");
    }

    public static Path pidFile(Path podDirectory, String container) {
        return podDirectory.resolve("containers").resolve(container + ".pid");
    }
}
