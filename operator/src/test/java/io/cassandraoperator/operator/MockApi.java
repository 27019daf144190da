package io.cassandraoperator.operator;

import io.cassandraoperator.api.Cluster;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.InputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/** fabric8's mock API server in CRUD mode on 127.0.0.1, with the Cluster CRD installed as the runtime would. */
final class MockApi implements AutoCloseable {
    final KubernetesMockServer server;
    final NamespacedKubernetesClient client;

    static {
        // The mock server logs every request through java.util.logging; the tests count requests themselves.
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
    }

    MockApi(boolean installCrd) throws Exception {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(List.of()), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        client = server.createClient();
        if (installCrd) {
            try (InputStream crd = Cluster.class.getResourceAsStream("/META-INF/fabric8/" + Cluster.CRD_NAME + "-v1.yml")) {
                client.apiextensions().v1().customResourceDefinitions().load(crd).create();
            }
        }
    }

    /** Takes every request the server has recorded so far. */
    List<RecordedRequest> drainRequests() throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.takeRequest(1, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
            requests.add(request);
        }
        return requests;
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
