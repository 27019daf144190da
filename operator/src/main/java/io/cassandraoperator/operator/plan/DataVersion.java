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
 * The newest Cassandra version that has run on the members' data: {@code spec.version} may not go below it (an older
 * release may not read its files), and may go back to it when a newer version never ran. Evidence, any of which
 * raises it: the version a member pod's image carries unless the pod shows it never started its container (waiting
 * since creation, as with an image that cannot be pulled, or never scheduled); a rack's recorded version while one of
 * its members has no pod (what ran on that claim is unknown); and the previous {@code status.dataVersion}, so the mark
 * never goes down once seen (a member whose pod was recreated on a version that never ran keeps its older mark).
 */
public final class DataVersion {
    private DataVersion() {
    }

    public static Optional<VersionNumber> of(Cluster cluster, ObservedCluster observed) {
        return of(cluster, observed.statefulSets().values(), observed.pods());
    }

    public static Optional<VersionNumber> of(Cluster cluster, Collection<StatefulSet> statefulSets, Map<String, Pod> pods) {
        List<VersionNumber> evidence = new ArrayList<>();
        if (cluster.getStatus() != null) {
            parse(cluster.getStatus().getDataVersion()).ifPresent(evidence::add);
        }
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

    /** False only when the pod shows that its Cassandra container never ran: unknown counts as ran. */
    static boolean mayHaveRun(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null || pod.getStatus().getContainerStatuses().isEmpty()) {
            return pod.getSpec() == null || pod.getSpec().getNodeName() != null;
        }
        return pod.getStatus().getContainerStatuses().stream().filter(c -> RackStatefulSet.CONTAINER.equals(c.getName()))
                .findFirst().map(DataVersion::mayHaveRun).orElse(true);
    }

    private static boolean mayHaveRun(ContainerStatus container) {
        boolean neverStarted = container.getState() != null && container.getState().getWaiting() != null
                && (container.getRestartCount() == null || container.getRestartCount() == 0)
                && (container.getLastState() == null || container.getLastState().getTerminated() == null);
        return !neverStarted;
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
