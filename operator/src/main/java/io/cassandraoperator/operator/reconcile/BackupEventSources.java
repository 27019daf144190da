package io.cassandraoperator.operator.reconcile;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract.Labels;
import io.cassandraoperator.api.backup.Backup;
import io.cassandraoperator.api.backup.Restore;
import io.cassandraoperator.operator.model.ClusterLabels;
import io.cassandraoperator.operator.observe.ObservedBackup;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The informers a Backup's round reads (ObservedBackup): Clusters, and the pods and agent Secrets of managed
 * Clusters. A change maps to the unfinished Backups of its Cluster; a Backup is matched by name, not owned.
 */
final class BackupEventSources {
    private BackupEventSources() {
    }

    static List<EventSource<?, Backup>> of(EventSourceContext<Backup> context) {
        return List.of(
                informer(context, Cluster.class, ObservedBackup.CLUSTERS, null, cluster -> cluster.getMetadata().getName()),
                informer(context, Pod.class, ObservedBackup.PODS, ClusterLabels.INFORMER_SELECTOR, BackupEventSources::clusterLabel),
                informer(context, Secret.class, ObservedBackup.SECRETS, ClusterLabels.INFORMER_SELECTOR, BackupEventSources::clusterLabel));
    }

    /**
     * The Restore controller's: the same three, and Backups; a Restore is polled while it runs, so any change maps to
     * the namespace's unfinished Restores.
     */
    static List<EventSource<?, Restore>> forRestores(EventSourceContext<Restore> context) {
        return List.of(
                restoreInformer(context, Cluster.class, ObservedBackup.CLUSTERS, null),
                restoreInformer(context, Pod.class, ObservedBackup.PODS, ClusterLabels.INFORMER_SELECTOR),
                restoreInformer(context, Secret.class, ObservedBackup.SECRETS, ClusterLabels.INFORMER_SELECTOR),
                restoreInformer(context, Backup.class, ObservedBackup.BACKUPS, null));
    }

    private static <R extends HasMetadata> InformerEventSource<R, Restore> restoreInformer(
            EventSourceContext<Restore> context, Class<R> type, String name, String labelSelector) {
        var configuration = InformerEventSourceConfiguration.from(type, Restore.class).withName(name)
                .withSecondaryToPrimaryMapper(object -> context.getPrimaryCache().list(object.getMetadata().getNamespace())
                        .filter(restore -> restore.getStatus() == null || restore.getStatus().getPhase() == null
                                || !restore.getStatus().getPhase().finished())
                        .map(ResourceID::fromResource).collect(Collectors.toSet()));
        if (labelSelector != null) {
            configuration.withLabelSelector(labelSelector);
        }
        return new InformerEventSource<>(configuration.build(), context);
    }

    private static String clusterLabel(HasMetadata object) {
        return object.getMetadata().getLabels() == null ? null : object.getMetadata().getLabels().get(Labels.CLUSTER);
    }

    private static <R extends HasMetadata> InformerEventSource<R, Backup> informer(
            EventSourceContext<Backup> context, Class<R> type, String name, String labelSelector, Function<R, String> clusterOf) {
        var configuration = InformerEventSourceConfiguration.from(type, Backup.class).withName(name)
                .withSecondaryToPrimaryMapper(object -> backupsOf(context, object.getMetadata().getNamespace(), clusterOf.apply(object)));
        if (labelSelector != null) {
            configuration.withLabelSelector(labelSelector);
        }
        return new InformerEventSource<>(configuration.build(), context);
    }

    private static Set<ResourceID> backupsOf(EventSourceContext<Backup> context, String namespace, String cluster) {
        if (cluster == null) {
            return Set.of();
        }
        return context.getPrimaryCache().list(namespace)
                .filter(backup -> cluster.equals(backup.getSpec().getCluster()))
                .filter(backup -> backup.getStatus() == null || backup.getStatus().getPhase() == null
                        || !backup.getStatus().getPhase().finished())
                .map(ResourceID::fromResource).collect(Collectors.toSet());
    }
}
