package io.cassandraoperator.operator.model;

import io.cassandraoperator.api.Cluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

import java.util.Map;

/**
 * Metadata of a Cluster's objects. Those {@link #of owned} by the Cluster go with it through the garbage collector;
 * those {@link #retained} (the Secrets and member Services, which hold the login and the members' addresses in the
 * ring) carry no owner reference, so deleting the Cluster keeps them with the claims, and a Cluster recreated under
 * the same name finds and uses them as they are. With {@code whenDeleted: Delete} the operator deletes them itself.
 */
public final class ChildMetadata {
    private ChildMetadata() {
    }

    public static ObjectMeta of(Cluster cluster, String name, Map<String, String> labels) {
        return new ObjectMetaBuilder(retained(cluster, name, labels))
                .withOwnerReferences(ownerReference(cluster))
                .build();
    }

    /**
     * No owner reference at all, rather than one re-pointed at a recreated Cluster: an owner reference would let the
     * garbage collector delete the object the moment its Cluster is gone, before anything could re-point it.
     */
    public static ObjectMeta retained(Cluster cluster, String name, Map<String, String> labels) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(cluster.getMetadata().getNamespace())
                .withLabels(labels)
                .build();
    }

    /** Whether the object names a Cluster (this one or an earlier one of the same name) as its owner. */
    public static boolean ownedByACluster(HasMetadata object) {
        return object.getMetadata().getOwnerReferences() != null && object.getMetadata().getOwnerReferences().stream()
                .anyMatch(r -> Cluster.class.getSimpleName().equals(r.getKind()) && r.getApiVersion() != null
                        && r.getApiVersion().startsWith(Cluster.GROUP + "/"));
    }

    public static OwnerReference ownerReference(Cluster cluster) {
        return new OwnerReferenceBuilder()
                .withApiVersion(cluster.getApiVersion())
                .withKind(cluster.getKind())
                .withName(cluster.getMetadata().getName())
                .withUid(cluster.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }
}
