package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.VersionNumber;
import io.cassandraoperator.operator.model.RackStatefulSet;
import io.cassandraoperator.operator.observe.ObservedCluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which Cassandra versions have run on the members' data: {@code spec.version} may not go below them (an older release
 * may not read their files), and may go back to them when a newer version never ran.
 * <p>
 * {@link #ran} is the high-water mark written to {@code status.dataVersion} (the schema's rule reads it): the previous
 * mark and the image version of every member pod whose Cassandra container has been seen running or terminated. Only
 * such positive evidence raises it, because it never goes down: a pod just scheduled, or gone for a moment while the
 * StatefulSet controller recreates it, would otherwise leave a version that never ran as the floor for good.
 * <p>
 * {@link #floor} is what a refusal checks, and assumes the worst where the pods do not tell: the mark, the image version
 * of every pod unless it shows that its container never started (waiting since creation, as with an image that cannot
 * be pulled, or never scheduled), and a rack's recorded version while one of its members has no pod.
 */
public final class DataVersion {
    private DataVersion() {
    }

    /** The mark for {@code status.dataVersion}. */
    public static Optional<VersionNumber> ran(Cluster cluster, ObservedCluster observed) {
        List<VersionNumber> evidence = new ArrayList<>();
        previousMark(cluster).ifPresent(evidence::add);
        for (Pod pod : observed.pods().values()) {
            if (cassandraContainer(pod).map(DataVersion::seenStarted).orElse(false)) {
                imageVersion(pod).ifPresent(evidence::add);
            }
        }
        return evidence.stream().max(Comparator.naturalOrder());
    }

    /** The lowest version the spec may ask for, or empty when nothing can have run. */
    public static Optional<VersionNumber> floor(Cluster cluster, Collection<StatefulSet> statefulSets, Map<String, Pod> pods) {
        List<VersionNumber> evidence = new ArrayList<>();
        previousMark(cluster).ifPresent(evidence::add);
        for (StatefulSet statefulSet : statefulSets) {
            Optional<VersionNumber> recorded = parse(statefulSet.getMetadata().getAnnotations() == null ? null
                    : statefulSet.getMetadata().getAnnotations().get(Contract.Annotations.VERSION));
            for (int ordinal = 0; ordinal < ObservedCluster.replicas(statefulSet); ordinal++) {
                Pod pod = pods.get(statefulSet.getMetadata().getName() + "-" + ordinal);
                if (pod == null) {
                    recorded.ifPresent(evidence::add);
                } else if (mayHaveRun(pod)) {
                    imageVersion(pod).or(() -> recorded).ifPresent(evidence::add);
                }
            }
        }
        return evidence.stream().max(Comparator.naturalOrder());
    }

    private static Optional<VersionNumber> previousMark(Cluster cluster) {
        return cluster.getStatus() == null ? Optional.empty() : parse(cluster.getStatus().getDataVersion());
    }

    /** False only when the pod shows that its Cassandra container never ran: unknown counts as ran. */
    static boolean mayHaveRun(Pod pod) {
        Optional<ContainerStatus> container = cassandraContainer(pod);
        if (container.isEmpty()) {
            return pod.getSpec() == null || pod.getSpec().getNodeName() != null;
        }
        ContainerStatus status = container.get();
        boolean neverStarted = status.getState() != null && status.getState().getWaiting() != null
                && (status.getRestartCount() == null || status.getRestartCount() == 0)
                && (status.getLastState() == null || status.getLastState().getTerminated() == null);
        return !neverStarted;
    }

    private static boolean seenStarted(ContainerStatus status) {
        return status.getState() != null && (status.getState().getRunning() != null || status.getState().getTerminated() != null)
                || status.getRestartCount() != null && status.getRestartCount() > 0
                || status.getLastState() != null && status.getLastState().getTerminated() != null;
    }

    private static Optional<ContainerStatus> cassandraContainer(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream().filter(c -> RackStatefulSet.CONTAINER.equals(c.getName())).findFirst();
    }

    /** The version the tag of the pod's Cassandra image names, as {@link RackStatefulSet#image} builds it. */
    static Optional<VersionNumber> imageVersion(Pod pod) {
        if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
            return Optional.empty();
        }
        return pod.getSpec().getContainers().stream().filter(c -> RackStatefulSet.CONTAINER.equals(c.getName())).findFirst()
                .map(Container::getImage)
                .filter(image -> image != null && image.lastIndexOf(':') > image.lastIndexOf('/'))
                .flatMap(image -> parse(image.substring(image.lastIndexOf(':') + 1)));
    }

    private static Optional<VersionNumber> parse(String version) {
        try {
            return version == null ? Optional.empty() : Optional.of(VersionNumber.parse(version));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
