package io.cassandraoperator.operator.observe;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract.Labels;
import io.cassandraoperator.api.backup.Backup;
import io.cassandraoperator.operator.model.AgentTokenSecret;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a Backup's round sees in the informer caches: the Cluster it names (absent when there is none), that
 * Cluster's pods by name and its agent token Secret.
 */
public record ObservedBackup(Optional<Cluster> cluster, Map<String, Pod> pods, Optional<Secret> agentSecret) {

    /** The informers' names, as the reconciler registers them. */
    public static final String CLUSTERS = "backup-clusters";
    public static final String PODS = "backup-pods";
    public static final String SECRETS = "backup-secrets";
    /** The Restore controller's informer of Backups. */
    public static final String BACKUPS = "restore-backups";

    public static ObservedBackup from(Backup backup, Context<Backup> context) {
        return of(backup.getMetadata().getNamespace(), backup.getSpec().getCluster(), context);
    }

    /** The Cluster of that name in the namespace, its pods and agent Secret, from a controller that registered the three informers. */
    @SuppressWarnings("unchecked")
    public static <P extends HasMetadata> ObservedBackup of(String namespace, String clusterName, Context<P> context) {
        var clusters = (InformerEventSource<Cluster, P>) context.eventSourceRetriever()
                .getEventSourceFor(Cluster.class, CLUSTERS);
        Optional<Cluster> cluster = clusters.get(new ResourceID(clusterName, namespace));
        var pods = (InformerEventSource<Pod, P>) context.eventSourceRetriever().getEventSourceFor(Pod.class, PODS);
        Map<String, Pod> clusterPods = pods.list(namespace, pod -> clusterName.equals(label(pod.getMetadata().getLabels())))
                .collect(Collectors.toMap(pod -> pod.getMetadata().getName(), Function.identity()));
        var secrets = (InformerEventSource<Secret, P>) context.eventSourceRetriever().getEventSourceFor(Secret.class, SECRETS);
        Optional<Secret> agentSecret = cluster.flatMap(c -> secrets.get(new ResourceID(AgentTokenSecret.name(c), namespace)));
        return new ObservedBackup(cluster, clusterPods, agentSecret);
    }

    private static String label(Map<String, String> labels) {
        return labels == null ? null : labels.get(Labels.CLUSTER);
    }
}
