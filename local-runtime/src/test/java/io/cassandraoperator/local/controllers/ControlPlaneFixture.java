package io.cassandraoperator.local.controllers;

import io.cassandraoperator.local.ControlPlane;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Path;
import java.util.Map;

/** A control plane on a state directory with a {@link FakeKubelet}, for tests that need the controllers running. */
final class ControlPlaneFixture implements AutoCloseable {
    final ControlPlane plane;
    final KubernetesClient client;
    final ObjectCache cache;
    final FakeKubelet kubelet;

    ControlPlaneFixture(Path stateDir) {
        plane = ControlPlane.start(stateDir, 0);
        client = plane.newClient();
        cache = new ObjectCache(client);
        kubelet = new FakeKubelet(client, cache);
        cache.start();
        kubelet.start();
    }

    static PodBuilder pod(String name, Map<String, String> labels) {
        return new PodBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("x:1").endContainer().endSpec();
    }

    Pod get(String pod) {
        return client.pods().withName(pod).get();
    }

    @Override
    public void close() {
        kubelet.close();
        cache.close();
        client.close();
        plane.close();
    }
}
