package io.cassandraoperator.operator.act;

import io.cassandraoperator.api.Contract;
import io.cassandraoperator.operator.plan.MemberLoss;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads straight from the API server, past the informer caches: the caches may lag behind, and a step that gives
 * data up (a claim, a pod) must first confirm on the server what it decided from the caches.
 */
final class LiveReads {
    private final KubernetesClient client;
    private final String namespace;

    LiveReads(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    Pod pod(String name) {
        return client.pods().inNamespace(namespace).withName(name).get();
    }

    /** Every pod labelled with the Cluster's name. */
    List<Pod> podsOfCluster(String cluster) {
        return client.pods().inNamespace(namespace).withLabel(Contract.Labels.CLUSTER, cluster).list().getItems();
    }

    Service service(String name) {
        return client.services().inNamespace(namespace).withName(name).get();
    }

    /** The volumes the claims are bound to that exist, by name. */
    Map<String, PersistentVolume> volumes(List<PersistentVolumeClaim> claims) {
        Map<String, PersistentVolume> volumes = new HashMap<>();
        for (PersistentVolumeClaim claim : claims) {
            String name = claim.getSpec() == null ? null : claim.getSpec().getVolumeName();
            PersistentVolume volume = name == null ? null : client.persistentVolumes().withName(name).get();
            if (volume != null) {
                volumes.put(name, volume);
            }
        }
        return volumes;
    }

    /** Every Node that exists. */
    List<Node> nodes() {
        return client.nodes().list().getItems();
    }
}
