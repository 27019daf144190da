package io.cassandraoperator.operator.act;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract.Labels;
import io.cassandraoperator.operator.model.DesiredHash;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;

/**
 * Writes a Cluster's objects: create, or update with the resourceVersion the cache saw (a stale cache gets a 409,
 * never a lost update), and only when the desired object's digest differs from the one recorded on it.
 */
public final class ChildWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ChildWriter.class);

    private final KubernetesClient client;
    private final Cluster cluster;

    ChildWriter(KubernetesClient client, Cluster cluster) {
        this.client = client;
        this.cluster = cluster;
    }

    /** Makes {@code actual} what {@code desired} describes; {@code merge} keeps what the server or others own. */
    <T extends HasMetadata> T ensure(T desired, T actual, BinaryOperator<T> merge) {
        String hash = DesiredHash.of(desired);
        if (desired.getMetadata().getAnnotations() == null) {
            desired.getMetadata().setAnnotations(new LinkedHashMap<>());
        }
        if (actual == null) {
            desired.getMetadata().getAnnotations().put(DesiredHash.ANNOTATION, hash);
            LOG.info("Cluster {}: creating {} {}", clusterName(), desired.getKind(), desired.getMetadata().getName());
            return create(desired);
        }
        if (hash.equals(DesiredHash.recorded(actual))) {
            return actual;
        }
        T updated = merge.apply(actual, desired);
        updated.getMetadata().getAnnotations().put(DesiredHash.ANNOTATION, hash);
        LOG.info("Cluster {}: updating {} {}: the spec asks for a different object", clusterName(), desired.getKind(), desired.getMetadata().getName());
        return client.resource(updated).update();
    }

    /**
     * Creates the object; when it exists already (the cache had not seen an earlier create, perhaps one answered with
     * an error after it was applied), returns the object as it is on the server, which may differ from ours: callers
     * must act on what is there, not on what they asked for.
     */
    <T extends HasMetadata> T create(T object) {
        try {
            return client.resource(object).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                T live = client.resource(object).get();
                if (live != null) {
                    return live;
                }
            }
            throw e;
        }
    }

    <T extends HasMetadata> T update(T object) {
        return client.resource(object).update();
    }

    /**
     * Deletes the object the caller decided on and no other (its UID is a precondition): a newer object of the same
     * name stays, and the 409 makes the round look again. False when it is gone already.
     */
    boolean delete(HasMetadata decidedOn) {
        return new PreconditionedDelete(client).delete(decidedOn, false);
    }

    /** As {@link #delete}, and only if the object is still at the version the decision read (its records, its spec). */
    boolean deleteUnchanged(HasMetadata decidedOn) {
        return new PreconditionedDelete(client).delete(decidedOn, true);
    }

    /** Changes a Service's labels or annotations: the records of the decommission protocol. */
    Service updateMetadata(Service service, Consumer<ObjectMetaBuilder> change) {
        ObjectMetaBuilder metadata = new ObjectMetaBuilder(service.getMetadata());
        change.accept(metadata);
        return update(new ServiceBuilder(service).withMetadata(metadata.build()).build());
    }

    private String clusterName() {
        return cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName();
    }

    /** Desired labels and annotations over the actual ones; the seed label goes when no longer wanted. */
    static ObjectMeta mergeMetadata(HasMetadata actual, HasMetadata desired) {
        ObjectMetaBuilder metadata = new ObjectMetaBuilder(actual.getMetadata())
                // Ownership as desired: an object left by an earlier Cluster of this name is adopted, a retained one released.
                .withOwnerReferences(desired.getMetadata().getOwnerReferences());
        if (desired.getMetadata().getLabels() == null || !desired.getMetadata().getLabels().containsKey(Labels.SEED)) {
            metadata.removeFromLabels(Labels.SEED);
        }
        metadata.addToLabels(desired.getMetadata().getLabels());
        if (desired.getMetadata().getAnnotations() != null) {
            metadata.addToAnnotations(desired.getMetadata().getAnnotations());
        }
        if (metadata.getAnnotations() == null) {
            metadata.withAnnotations(new LinkedHashMap<>());
        }
        return metadata.build();
    }

    /** The server allocated the ClusterIP: keep it, take everything else from the desired Service. */
    static Service mergeService(Service actual, Service desired) {
        return new ServiceBuilder(desired)
                .withMetadata(mergeMetadata(actual, desired))
                .editSpec()
                    .withClusterIP(actual.getSpec().getClusterIP())
                    .withClusterIPs(actual.getSpec().getClusterIPs())
                    .withIpFamilies(actual.getSpec().getIpFamilies())
                    .withIpFamilyPolicy(actual.getSpec().getIpFamilyPolicy())
                .endSpec()
                .build();
    }
}
