package io.cassandraoperator.local.kubelet;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HostIPBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Computes a pod's status from its containers' statuses, as a kubelet reports it (restartPolicy Always): phase Pending
 * until every container has started once, then Running; conditions PodScheduled, Initialized, ContainersReady and
 * Ready, whose transition times are kept from the previous status while their value does not change.
 */
final class PodStatusReport {
    private PodStatusReport() {
    }

    static PodStatus build(PodStatus previous, List<ContainerStatus> containers, String podIP, String hostIP,
                           Instant startTime, Instant now) {
        boolean allStarted = containers.stream()
                .allMatch(c -> c.getState().getRunning() != null || c.getLastState().getTerminated() != null
                        || c.getState().getTerminated() != null);
        boolean allReady = !containers.isEmpty() && containers.stream().allMatch(ContainerStatus::getReady);
        String notReady = containers.stream().filter(c -> !c.getReady()).map(ContainerStatus::getName).toList().toString();
        String notReadyMessage = allReady ? null : "containers with unready status: " + notReady;
        var builder = new PodStatusBuilder()
                .withPhase(allStarted ? "Running" : "Pending")
                .withHostIP(hostIP)
                .withStartTime(time(startTime))
                .withConditions(
                        condition(previous, "PodScheduled", true, null, now),
                        condition(previous, "Initialized", true, null, now),
                        condition(previous, "ContainersReady", allReady, notReadyMessage, now),
                        condition(previous, "Ready", allReady, notReadyMessage, now))
                .withContainerStatuses(containers);
        if (podIP != null) {
            builder.withPodIP(podIP).withPodIPs(new PodIPBuilder().withIp(podIP).build());
        }
        if (hostIP != null) {
            builder.withHostIPs(new HostIPBuilder().withIp(hostIP).build());
        }
        return builder.build();
    }

    private static PodCondition condition(PodStatus previous, String type, boolean value, String message, Instant now) {
        String status = value ? "True" : "False";
        String since = previous == null || previous.getConditions() == null ? null : previous.getConditions().stream()
                .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
                .map(PodCondition::getLastTransitionTime).findFirst().orElse(null);
        return new PodConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(value || message == null ? null : "ContainersNotReady")
                .withMessage(message)
                .withLastTransitionTime(since != null ? since : time(now))
                .build();
    }

    static String time(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
