package io.cassandraoperator.local.cli;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.RackSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What a user wants to see of a Cluster while it comes up: one line for the Cluster, one per member pod. */
final class ClusterProgress {
    private ClusterProgress() {
    }

    /**
     * Ready: condition Ready=True for the current generation, every wanted member ready, and as many member pods
     * Ready now. The pods count too because a Cluster's status restored by {@code up} says what was true before
     * {@code down} until the operator has looked again; the kubelet marks pods unready when it stops them.
     */
    static boolean ready(Cluster cluster, List<Pod> pods) {
        long readyPods = pods.stream()
                .filter(pod -> cluster.getMetadata().getName().equals(label(pod, Contract.Labels.CLUSTER)))
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
                .filter(ClusterProgress::podReady)
                .count();
        return readyPods == wantedMembers(cluster) && statusReady(cluster);
    }

    private static boolean podReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static boolean statusReady(Cluster cluster) {
        var status = cluster.getStatus();
        if (status == null || !Objects.equals(status.getObservedGeneration(), cluster.getMetadata().getGeneration())) {
            return false;
        }
        int wanted = wantedMembers(cluster);
        return condition(cluster, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false)
                && Objects.equals(status.getReadyMembers(), wanted) && Objects.equals(status.getMembers(), wanted);
    }

    static int wantedMembers(Cluster cluster) {
        return cluster.getSpec().getDatacenter().getRacks().stream().map(RackSpec::getMembers)
                .filter(Objects::nonNull).mapToInt(Integer::intValue).sum();
    }

    static List<String> lines(Cluster cluster, List<Pod> pods) {
        List<String> lines = new ArrayList<>();
        var status = cluster.getStatus();
        int ready = status == null || status.getReadyMembers() == null ? 0 : status.getReadyMembers();
        StringBuilder head = new StringBuilder(cluster.getMetadata().getName() + ": " + ready + "/"
                + wantedMembers(cluster) + " members ready");
        for (String type : List.of("Ready", "Progressing", "Degraded")) {
            condition(cluster, type).filter(c -> !("Degraded".equals(type) && "False".equals(c.getStatus())))
                    .ifPresent(c -> head.append("; ").append(type).append('=').append(c.getStatus())
                            .append(c.getMessage() == null || c.getMessage().isEmpty() ? "" : ": " + c.getMessage()));
        }
        lines.add(head.toString());
        pods.stream()
                .filter(pod -> cluster.getMetadata().getName().equals(label(pod, Contract.Labels.CLUSTER)))
                .sorted(Comparator.comparing(pod -> pod.getMetadata().getName()))
                .forEach(pod -> lines.add("  " + pod(pod)));
        return lines;
    }

    static String pod(Pod pod) {
        var status = pod.getStatus();
        StringBuilder line = new StringBuilder(pod.getMetadata().getName());
        if (pod.getSpec().getNodeName() != null) {
            line.append(" on ").append(pod.getSpec().getNodeName());
        }
        if (status == null || status.getPhase() == null) {
            return line.append(": Pending").toString();
        }
        line.append(": ").append(status.getPhase());
        if (status.getPodIP() != null) {
            line.append(' ').append(status.getPodIP());
        }
        List<ContainerStatus> containers = status.getContainerStatuses() == null ? List.of()
                : status.getContainerStatuses();
        for (ContainerStatus container : containers) {
            if (container.getState() != null && container.getState().getWaiting() != null) {
                var waiting = container.getState().getWaiting();
                line.append(", ").append(waiting.getReason())
                        .append(waiting.getMessage() == null ? "" : " (" + waiting.getMessage() + ")");
            }
            if (container.getRestartCount() != null && container.getRestartCount() > 0) {
                line.append(", restarts ").append(container.getRestartCount());
            }
        }
        boolean ready = !containers.isEmpty() && containers.stream().allMatch(c -> Boolean.TRUE.equals(c.getReady()));
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            line.append(", terminating");
        }
        return line.append(ready ? ", ready" : ", not ready").toString();
    }

    /** CQL contact points: member Services' ClusterIPs (each a member's sticky address) with the CQL port. */
    static List<String> contactPoints(Cluster cluster, List<Service> services) {
        return services.stream()
                .filter(s -> cluster.getMetadata().getName().equals(label(s, Contract.Labels.CLUSTER)))
                .filter(s -> s.getSpec().getSelector() != null
                        && s.getSpec().getSelector().containsKey(Contract.Labels.POD_NAME))
                .filter(s -> s.getSpec().getClusterIP() != null && !"None".equals(s.getSpec().getClusterIP()))
                .sorted(Comparator.comparing(s -> s.getMetadata().getName()))
                .map(s -> s.getSpec().getClusterIP() + ":" + Contract.Ports.CQL)
                .toList();
    }

    private static Optional<Condition> condition(Cluster cluster, String type) {
        if (cluster.getStatus() == null || cluster.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return cluster.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private static String label(io.fabric8.kubernetes.api.model.HasMetadata object, String key) {
        return object.getMetadata().getLabels() == null ? null : object.getMetadata().getLabels().get(key);
    }
}
