package io.cassandraoperator.local.controllers;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Informers over the kinds the controllers and the proxy read, shared by all of them. Each listener is told that
 * something changed; it then reads the stores.
 */
public final class ObjectCache implements AutoCloseable {
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<PersistentVolumeClaim> claims;
    private final SharedIndexInformer<PersistentVolume> volumes;
    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<StatefulSet> statefulSets;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<Endpoints> endpoints;

    public ObjectCache(KubernetesClient client) {
        pods = watch(client.pods().inAnyNamespace().runnableInformer(0));
        claims = watch(client.persistentVolumeClaims().inAnyNamespace().runnableInformer(0));
        volumes = watch(client.persistentVolumes().runnableInformer(0));
        nodes = watch(client.nodes().runnableInformer(0));
        statefulSets = watch(client.apps().statefulSets().inAnyNamespace().runnableInformer(0));
        services = watch(client.services().inAnyNamespace().runnableInformer(0));
        endpoints = watch(client.endpoints().inAnyNamespace().runnableInformer(0));
    }

    private <T extends HasMetadata> SharedIndexInformer<T> watch(SharedIndexInformer<T> informer) {
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                changed();
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                changed();
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                changed();
            }
        });
        informers.add(informer);
        return informer;
    }

    private void changed() {
        listeners.forEach(Runnable::run);
    }

    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** Starts the informers and waits until each has its first list. */
    public void start() {
        informers.forEach(i -> i.start().toCompletableFuture().join());
    }

    public List<Pod> pods() {
        return pods.getStore().list();
    }

    public List<PersistentVolumeClaim> claims() {
        return claims.getStore().list();
    }

    public List<PersistentVolume> volumes() {
        return volumes.getStore().list();
    }

    public List<Node> nodes() {
        return nodes.getStore().list();
    }

    public List<StatefulSet> statefulSets() {
        return statefulSets.getStore().list();
    }

    public List<Service> services() {
        return services.getStore().list();
    }

    public List<Endpoints> endpoints() {
        return endpoints.getStore().list();
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
    }
}
