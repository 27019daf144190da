package io.cassandraoperator.local.controllers;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The garbage collector, background propagation: an object whose every owner reference names an owner that no longer
 * exists (no object with that uid) is deleted. Owners are checked by a live read before deleting, since an owner may
 * have been created after the scan.
 */
public final class GarbageCollector extends ControlLoop {
    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
    /** The kinds that can have owners here (apiVersion, kind); custom resources are added from the CRDs. */
    private static final List<List<String>> DEPENDENT_KINDS = List.of(
            List.of("v1", "Pod"), List.of("v1", "Service"), List.of("v1", "Endpoints"), List.of("v1", "ConfigMap"),
            List.of("v1", "Secret"), List.of("v1", "PersistentVolumeClaim"), List.of("v1", "ServiceAccount"),
            List.of("v1", "Event"), List.of("apps/v1", "StatefulSet"), List.of("apps/v1", "Deployment"),
            List.of("policy/v1", "PodDisruptionBudget"), List.of("coordination.k8s.io/v1", "Lease"),
            List.of("rbac.authorization.k8s.io/v1", "Role"), List.of("rbac.authorization.k8s.io/v1", "RoleBinding"));

    private final KubernetesClient client;

    public GarbageCollector(KubernetesClient client) {
        super("garbage-collector", 2000);
        this.client = client;
    }

    @Override
    protected void reconcile() {
        List<GenericKubernetesResource> objects = new ArrayList<>();
        List<List<String>> kinds = new ArrayList<>(DEPENDENT_KINDS);
        for (CustomResourceDefinition crd : client.apiextensions().v1().customResourceDefinitions().list().getItems()) {
            for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
                if (Boolean.TRUE.equals(v.getServed())) {
                    kinds.add(List.of(crd.getSpec().getGroup() + "/" + v.getName(), crd.getSpec().getNames().getKind()));
                }
            }
        }
        for (List<String> kind : kinds) {
            objects.addAll(client.genericKubernetesResources(kind.get(0), kind.get(1)).inAnyNamespace().list()
                    .getItems());
        }
        Set<String> uids = new HashSet<>();
        objects.forEach(o -> uids.add(o.getMetadata().getUid()));
        client.persistentVolumes().list().getItems().forEach(o -> uids.add(o.getMetadata().getUid()));
        client.nodes().list().getItems().forEach(o -> uids.add(o.getMetadata().getUid()));
        client.namespaces().list().getItems().forEach(o -> uids.add(o.getMetadata().getUid()));
        for (GenericKubernetesResource o : objects) {
            List<OwnerReference> owners = o.getMetadata().getOwnerReferences();
            if (owners.isEmpty() || o.getMetadata().getDeletionTimestamp() != null
                    || owners.stream().anyMatch(r -> uids.contains(r.getUid()))) {
                continue;
            }
            if (owners.stream().noneMatch(r -> ownerExists(r, o.getMetadata().getNamespace()))) {
                LOG.info("{} {}/{}: every owner is gone ({}); deleting it", o.getKind(), o.getMetadata().getNamespace(),
                        o.getMetadata().getName(), owners.stream().map(r -> r.getKind() + "/" + r.getName()).toList());
                // At the version scanned: an object of that name adopted or recreated since (a Cluster recreated
                // from the same file takes over its ConfigMap) is not the one whose owners are gone.
                try {
                    client.genericKubernetesResources(o.getApiVersion(), o.getKind())
                            .inNamespace(o.getMetadata().getNamespace()).withName(o.getMetadata().getName())
                            .lockResourceVersion(o.getMetadata().getResourceVersion()).delete();
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) {
                        throw e;
                    }
                    LOG.info("{} {}/{} changed since the scan; keeping it", o.getKind(), o.getMetadata().getNamespace(), o.getMetadata().getName());
                }
            }
        }
    }

    /** In doubt (an owner kind the API cannot resolve, say), the owner counts as existing: nothing is deleted. */
    private boolean ownerExists(OwnerReference owner, String namespace) {
        try {
            GenericKubernetesResource live = client.genericKubernetesResources(owner.getApiVersion(), owner.getKind())
                    .inNamespace(namespace).withName(owner.getName()).get();
            return live != null && owner.getUid().equals(live.getMetadata().getUid());
        } catch (RuntimeException e) {
            LOG.warn("cannot look up owner {} {} ({}); keeping its dependents", owner.getKind(), owner.getName(),
                    e.getMessage());
            return true;
        }
    }
}
