package io.cassandraoperator.operator.model;

import io.cassandraoperator.api.Cluster;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

import java.util.Map;

/** Metadata of an object the Cluster owns: deleting the Cluster lets the garbage collector remove it. */
public final class ChildMetadata {
    private ChildMetadata() {
    }

    public static ObjectMeta of(Cluster cluster, String name, Map<String, String> labels) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(cluster.getMetadata().getNamespace())
                .withLabels(labels)
                .withOwnerReferences(ownerReference(cluster))
                .build();
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
