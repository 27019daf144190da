package io.cassandraoperator.operator.reconcile;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract.Labels;
import io.cassandraoperator.operator.model.ClusterLabels;
import io.fabric8.kubernetes.api.model.ConfigMap;
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
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The informers whose caches the observe phase reads, and how each change maps to the Clusters it concerns. */
final class ClusterEventSources {
    static final String RACK_CONFIG_MAPS = "rack-config-maps";
    private ClusterEventSources() {
    }

    static List<EventSource<?, Cluster>> of(EventSourceContext<Cluster> context) {
        return List.of(owned(context, StatefulSet.class), owned(context, Service.class), owned(context, Pod.class),
                owned(context, PersistentVolumeClaim.class), owned(context, ConfigMap.class),
                owned(context, Secret.class), owned(context, PodDisruptionBudget.class),
                clusterScoped(context, Node.class), clusterScoped(context, PersistentVolume.class),
                clusterScoped(context, StorageClass.class), rackConfigMaps(context));
    }

    /**
     * The racks' own ConfigMaps ({@code configMapName}), which the user owns and labels as they like: every ConfigMap
     * of the watched namespaces is cached, and one maps to the Clusters of its namespace whose racks name it, so that
     * a change of its contents reconciles them (their pod templates carry its digest).
     */
    private static InformerEventSource<ConfigMap, Cluster> rackConfigMaps(EventSourceContext<Cluster> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(ConfigMap.class, Cluster.class)
                .withName(RACK_CONFIG_MAPS)
                .withSecondaryToPrimaryMapper(configMap -> context.getPrimaryCache().list()
                        .filter(cluster -> cluster.getMetadata().getNamespace().equals(configMap.getMetadata().getNamespace()))
                        .filter(cluster -> cluster.getSpec() != null && cluster.getSpec().getDatacenter() != null
                                && cluster.getSpec().getDatacenter().getRacks().stream()
                                        .anyMatch(rack -> configMap.getMetadata().getName().equals(rack.getConfigMapName())))
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                // Looked up by name from the Cluster, not from an index the ConfigMap's events built: a rack that names
                // an existing ConfigMap later, or a Cluster cached after its ConfigMap, still finds it.
                .withPrimaryToSecondaryMapper((Cluster cluster) -> cluster.getSpec() == null || cluster.getSpec().getDatacenter() == null
                        ? Set.<ResourceID>of()
                        : cluster.getSpec().getDatacenter().getRacks().stream()
                                .filter(rack -> rack.getConfigMapName() != null)
                                .map(rack -> new ResourceID(rack.getConfigMapName(), cluster.getMetadata().getNamespace()))
                                .collect(Collectors.toSet()))
                .build(), context);
    }

    /**
     * Nodes and volumes, read to recognise a lost member, and StorageClasses, read to know whether a claim may grow: any change may concern any Cluster (a Node's deletion is
     * noticed through the volumes pinned to it), so each maps to every Cluster the operator knows.
     */
    private static <R extends HasMetadata> InformerEventSource<R, Cluster> clusterScoped(EventSourceContext<Cluster> context, Class<R> type) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, Cluster.class)
                .withWatchAllNamespaces()
                .withSecondaryToPrimaryMapper(object -> context.getPrimaryCache().list().map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .build(), context);
    }

    /** Only the objects of managed Clusters are cached, each mapped to its Cluster by the cluster label. */
    private static <R extends HasMetadata> InformerEventSource<R, Cluster> owned(EventSourceContext<Cluster> context, Class<R> type) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, Cluster.class)
                .withLabelSelector(ClusterLabels.INFORMER_SELECTOR)
                .withSecondaryToPrimaryMapper(object -> Set.of(new ResourceID(
                        object.getMetadata().getLabels().get(Labels.CLUSTER), object.getMetadata().getNamespace())))
                .build(), context);
    }
}
