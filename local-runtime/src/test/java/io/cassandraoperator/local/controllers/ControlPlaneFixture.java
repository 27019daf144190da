package io.cassandraoperator.local.controllers;

import io.cassandraoperator.local.ControlPlane;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A control plane on a fresh state directory with a {@link FakeKubelet}, for tests that need the controllers running:
 * a JUnit extension on a static field ({@code @RegisterExtension}), started before the class's tests, stopped after.
 */
final class ControlPlaneFixture implements BeforeAllCallback, AfterAllCallback {
    Path stateDir;
    ControlPlane plane;
    KubernetesClient client;
    ObjectCache cache;
    FakeKubelet kubelet;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        stateDir = Files.createTempDirectory("control-plane-");
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
    public void afterAll(ExtensionContext context) throws Exception {
        kubelet.close();
        cache.close();
        client.close();
        plane.close();
        PathUtils.deleteDirectory(stateDir);
    }
}
