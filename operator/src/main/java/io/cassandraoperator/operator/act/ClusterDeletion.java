package io.cassandraoperator.operator.act;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.operator.plan.DataDeletion;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Carries out {@link DataDeletion}'s step: the finalizer on and off, and the deletes of a Cluster deleted with
 * {@code whenDeleted: Delete}, each with its UID precondition. Returns whether the cleanup goes on (look again soon).
 */
public final class ClusterDeletion {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterDeletion.class);

    private final Cluster cluster;
    private final KubernetesClient client;
    private final ChildWriter writer;
    private final ClusterEvents events;
    private final LiveReads live;

    ClusterDeletion(Cluster cluster, KubernetesClient client, ChildWriter writer, ClusterEvents events, LiveReads live) {
        this.cluster = cluster;
        this.client = client;
        this.writer = writer;
        this.events = events;
        this.live = live;
    }

    /** @return true while the deletion cleanup is not finished */
    public boolean take(DataDeletion.Step step) {
        if (step instanceof DataDeletion.AddFinalizer) {
            LOG.info("Cluster {}: whenDeleted is Delete; adding finalizer {} so that the claims go only after the pods",
                    clusterName(), Contract.Finalizers.DELETE_DATA);
            PrimaryUpdateAndCacheUtils.addFinalizer(client, cluster, Contract.Finalizers.DELETE_DATA);
        } else if (step instanceof DataDeletion.RemoveFinalizer remove) {
            LOG.info("Cluster {}: removing finalizer {}: {}", clusterName(), Contract.Finalizers.DELETE_DATA, remove.why());
            PrimaryUpdateAndCacheUtils.removeFinalizer(client, cluster, Contract.Finalizers.DELETE_DATA);
        } else if (step instanceof DataDeletion.DeleteStatefulSets delete) {
            for (StatefulSet statefulSet : delete.statefulSets()) {
                LOG.info("Cluster {}: deleted with whenDeleted: Delete; deleting StatefulSet {} (its pods go with it)", clusterName(),
                        statefulSet.getMetadata().getName());
                writer.delete(statefulSet);
            }
            return true;
        } else if (step instanceof DataDeletion.AwaitPods await) {
            LOG.info("Cluster {}: deleted; waiting for {} to go before deleting the claims", clusterName(), await.left());
            return true;
        } else if (step instanceof DataDeletion.DeleteClaims delete) {
            return deleteClaims(delete.claims());
        } else if (step instanceof DataDeletion.AwaitClaims await) {
            LOG.info("Cluster {}: deleted; waiting for claims {} to go", clusterName(), await.left());
            return true;
        } else if (step instanceof DataDeletion.DeleteServicesAndSecrets delete) {
            for (HasMetadata object : delete.objects()) {
                LOG.info("Cluster {}: deleted and its claims are gone; deleting {} {}", clusterName(), object.getKind(),
                        object.getMetadata().getName());
                writer.delete(object);
            }
            return true;
        } else if (step instanceof DataDeletion.Finish) {
            LOG.info("Cluster {}: claims, member Services and Secrets deleted; removing finalizer {}", clusterName(),
                    Contract.Finalizers.DELETE_DATA);
            events.record(cluster, EventReason.DeletionCleanupFinished, cluster.getMetadata().getUid(),
                    "the members' claims, their Services and the Secrets were deleted (whenDeleted: Delete); finalizer "
                            + Contract.Finalizers.DELETE_DATA + " removed");
            PrimaryUpdateAndCacheUtils.removeFinalizer(client, cluster, Contract.Finalizers.DELETE_DATA);
        } else if (step instanceof DataDeletion.Abandon abandon) {
            String message = "the deletion cleanup did not finish within " + abandon.limit() + "; finalizer "
                    + Contract.Finalizers.DELETE_DATA + " removed so that the deletion is not blocked; left: " + String.join(", ", abandon.left());
            LOG.warn("Cluster {}: {}", clusterName(), message);
            events.record(cluster, EventReason.DeletionCleanupAbandoned, cluster.getMetadata().getUid(), message);
            PrimaryUpdateAndCacheUtils.removeFinalizer(client, cluster, Contract.Finalizers.DELETE_DATA);
        }
        return false;
    }

    /** Only once the server, not only the cache, has no pod of the Cluster left: a pod still running could write to its claim. */
    private boolean deleteClaims(List<PersistentVolumeClaim> claims) {
        List<String> pods = live.podsOfCluster(cluster.getMetadata().getName()).stream().map(Pod::getMetadata)
                .map(m -> m.getName()).toList();
        if (!pods.isEmpty()) {
            LOG.info("Cluster {}: deleted; the cache has no pods but the server still has {}; waiting before deleting the claims",
                    clusterName(), pods);
            return true;
        }
        List<String> names = claims.stream().map(c -> c.getMetadata().getName()).toList();
        LOG.info("Cluster {}: deleted with whenDeleted: Delete and no pod is left; deleting claims {}", clusterName(), names);
        for (PersistentVolumeClaim claim : claims) {
            writer.delete(claim);
        }
        events.record(cluster, EventReason.ClaimsDeleted, cluster.getMetadata().getUid(),
                "the Cluster was deleted with whenDeleted: Delete and its pods are gone; deleted claims " + String.join(", ", names));
        return true;
    }

    private String clusterName() {
        return cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName();
    }
}
