package io.cassandraoperator.local.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;

/** The objects a pod refers to, as the kubelet currently sees them; null when absent. */
public interface ObjectLookup {
    ConfigMap configMap(String namespace, String name);

    Secret secret(String namespace, String name);

    PersistentVolumeClaim claim(String namespace, String name);

    PersistentVolume volume(String name);
}
