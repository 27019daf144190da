package io.cassandraoperator.operator.observe;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Names;
import io.cassandraoperator.operator.model.RackStatefulSet;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The objects of one Cluster as the informer caches hold them, by name, with the cluster-scoped PersistentVolumes and
 * the Nodes (read only, to recognise a member whose disk is lost).
 */
public record ObservedCluster(Map<String, StatefulSet> statefulSets, Map<String, Service> services, Map<String, Pod> pods,
                       Map<String, PersistentVolumeClaim> claims, Map<String, ConfigMap> configMaps,
                       Map<String, Secret> secrets, Map<String, PodDisruptionBudget> disruptionBudgets,
                       Map<String, PersistentVolume> volumes, List<Node> nodes, Map<String, StorageClass> storageClasses) {

    public ObservedCluster(Map<String, StatefulSet> statefulSets, Map<String, Service> services, Map<String, Pod> pods,
                    Map<String, PersistentVolumeClaim> claims, Map<String, ConfigMap> configMaps,
                    Map<String, Secret> secrets, Map<String, PodDisruptionBudget> disruptionBudgets) {
        this(statefulSets, services, pods, claims, configMaps, secrets, disruptionBudgets, Map.of(), List.of(), Map.of());
    }

    public ObservedCluster(Map<String, StatefulSet> statefulSets, Map<String, Service> services, Map<String, Pod> pods,
                    Map<String, PersistentVolumeClaim> claims, Map<String, ConfigMap> configMaps,
                    Map<String, Secret> secrets, Map<String, PodDisruptionBudget> disruptionBudgets,
                    Map<String, PersistentVolume> volumes, List<Node> nodes) {
        this(statefulSets, services, pods, claims, configMaps, secrets, disruptionBudgets, volumes, nodes, Map.of());
    }

    public static ObservedCluster from(Context<Cluster> context) {
        return new ObservedCluster(byName(context.getSecondaryResources(StatefulSet.class)),
                byName(context.getSecondaryResources(Service.class)),
                byName(context.getSecondaryResources(Pod.class)),
                byName(context.getSecondaryResources(PersistentVolumeClaim.class)),
                byName(context.getSecondaryResources(ConfigMap.class)),
                byName(context.getSecondaryResources(Secret.class)),
                byName(context.getSecondaryResources(PodDisruptionBudget.class)),
                byName(everyCached(context, PersistentVolume.class)),
                List.copyOf(everyCached(context, Node.class)),
                byName(everyCached(context, StorageClass.class)));
    }

    /** A cluster-scoped informer's whole cache: Nodes and volumes belong to no Cluster. */
    @SuppressWarnings("unchecked")
    private static <R extends HasMetadata> Set<R> everyCached(Context<Cluster> context, Class<R> type) {
        InformerEventSource<R, Cluster> source = (InformerEventSource<R, Cluster>) context.eventSourceRetriever().getEventSourceFor(type);
        return source.list().collect(Collectors.toSet());
    }

    private static <T extends HasMetadata> Map<String, T> byName(Set<T> objects) {
        Map<String, T> map = new TreeMap<>();
        objects.forEach(o -> map.put(o.getMetadata().getName(), o));
        return map;
    }

    public Optional<StatefulSet> statefulSet(String name) {
        return Optional.ofNullable(statefulSets.get(name));
    }

    /** The replicas a StatefulSet asks for (0 when unset). */
    public static int replicas(StatefulSet statefulSet) {
        Integer replicas = statefulSet.getSpec() == null ? null : statefulSet.getSpec().getReplicas();
        return replicas == null ? 0 : replicas;
    }

    public int replicas(String statefulSet) {
        return statefulSet(statefulSet).map(ObservedCluster::replicas).orElse(0);
    }

    /** A member's claims (one per claim template), by the StatefulSet naming {@code <template>-<member>}. */
    public List<PersistentVolumeClaim> claimsOf(String member) {
        return claims.values().stream().filter(c -> c.getMetadata().getName().endsWith("-" + member)).toList();
    }

    /** The first member the StatefulSets have that is not ready, in spec order (rack, then ordinal). */
    public Optional<String> firstNotReadyMember(Cluster cluster) {
        return notReadyMembers(cluster).stream().findFirst();
    }

    /** Every member the StatefulSets of the spec's racks have that is not ready, in spec order (rack, then ordinal). */
    public List<String> notReadyMembers(Cluster cluster) {
        return cluster.getSpec().getDatacenter().getRacks().stream()
                .flatMap(r -> IntStream.range(0, replicas(RackStatefulSet.name(cluster, r.getName())))
                        .mapToObj(o -> Names.member(cluster.getMetadata().getName(), cluster.getSpec().getDatacenter().getName(), r.getName(), o)))
                .filter(m -> !ready(m))
                .toList();
    }

    /** A member is ready when its pod reports Ready and is not being deleted. */
    public boolean ready(String member) {
        return ready(pods.get(member));
    }

    /** A pod is ready when it reports Ready and is not being deleted. */
    public static boolean ready(Pod pod) {
        return pod != null && pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null
                && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Why a member is not ready, in the words of its pod's status, for Progressing messages. */
    public String podState(String member) {
        Pod pod = pods.get(member);
        if (pod == null) {
            return "its pod does not exist yet";
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return "its pod is terminating";
        }
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null || pod.getStatus().getContainerStatuses().isEmpty()) {
            return "its pod is " + (pod.getStatus() == null || pod.getStatus().getPhase() == null ? "starting" : pod.getStatus().getPhase());
        }
        ContainerStatus container = pod.getStatus().getContainerStatuses().get(0);
        StringBuilder state = new StringBuilder("container ").append(container.getName());
        if (container.getState() != null && container.getState().getWaiting() != null) {
            state.append(" waiting: ").append(container.getState().getWaiting().getReason());
            if (container.getState().getWaiting().getMessage() != null) {
                state.append(" (").append(container.getState().getWaiting().getMessage()).append(')');
            }
        } else if (container.getState() != null && container.getState().getTerminated() != null) {
            state.append(" terminated with exit code ").append(container.getState().getTerminated().getExitCode());
        } else {
            state.append(" running, not ready yet");
        }
        if (container.getRestartCount() != null && container.getRestartCount() > 0) {
            state.append(", restarted ").append(container.getRestartCount()).append(" times");
            if (container.getLastState() != null && container.getLastState().getTerminated() != null) {
                state.append(", last exit code ").append(container.getLastState().getTerminated().getExitCode());
            }
        }
        return state.toString();
    }
}
