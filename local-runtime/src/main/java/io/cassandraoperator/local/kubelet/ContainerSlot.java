package io.cassandraoperator.local.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;

import java.time.Duration;
import java.time.Instant;

/** What the kubelet knows of one container of a pod across its restarts. */
final class ContainerSlot {
    final Container spec;
    ContainerProcess process;
    /** How the running process was started, read by {@code kubectl exec} from another thread; null before. */
    volatile ContainerLaunch launch;
    ContainerProbe readiness;
    ContainerProbe liveness;
    int restartCount;
    ContainerState state = waiting("ContainerCreating", null);
    ContainerState lastState = new ContainerState();
    Instant nextStart = Instant.MIN;
    Duration backOff;

    ContainerSlot(Container spec) {
        this.spec = spec;
    }

    boolean ready() {
        return process != null && process.isAlive() && (readiness == null || readiness.passing());
    }

    ContainerStatus status() {
        return new ContainerStatusBuilder()
                .withName(spec.getName())
                .withImage(spec.getImage())
                .withImageID("")
                .withContainerID(process == null ? null : "local://" + process.pid())
                .withReady(ready())
                .withStarted(process != null && process.isAlive())
                .withRestartCount(restartCount)
                .withState(state)
                .withLastState(lastState)
                .build();
    }

    static ContainerState waiting(String reason, String message) {
        return new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting().build();
    }
}
