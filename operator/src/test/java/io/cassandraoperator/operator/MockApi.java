package io.cassandraoperator.operator;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.backup.Backup;
import io.cassandraoperator.api.backup.Restore;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.InputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/** fabric8's mock API server in CRUD mode on 127.0.0.1, with the Cluster CRD installed as the runtime would. */
final class MockApi implements AutoCloseable {
    final KubernetesMockServer server;
    /** Off unless a test turns it on. */
    final FaultyDispatcher faults;
    final NamespacedKubernetesClient client;

    static {
        // The mock server logs every request through java.util.logging; the tests count requests themselves.
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
    }

    MockApi(boolean installCrd) throws Exception {
        // CRUD behaviour, plus the few expectations a test registers (the mixed dispatcher asks those first).
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        faults = new FaultyDispatcher(expectations);
        server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations, faults, false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        client = server.createClient();
        if (installCrd) {
            for (String name : List.of(Cluster.CRD_NAME, Backup.CRD_NAME, Restore.CRD_NAME)) {
                try (InputStream crd = Cluster.class.getResourceAsStream("/META-INF/fabric8/" + name + "-v1.yml")) {
                    client.apiextensions().v1().customResourceDefinitions().load(crd).create();
                } catch (KubernetesClientException e) {
                    // On a loaded machine the client may time out and send the create again after the server applied it.
                    if (e.getCode() != 409) {
                        throw e;
                    }
                }
            }
        }
    }

    /**
     * Answers JOSDK's check that the operator may use Leases (a SelfSubjectRulesReview, which the CRUD mock cannot
     * evaluate) the way a real API server does for the deploy/ Role.
     */
    void allowLeases() {
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews").andReturn(201,
                new io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder()
                        .withNewMetadata().endMetadata()
                        .withNewStatus().withIncomplete(false)
                            .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
                                .withVerbs("get", "create", "update").endResourceRule()
                        .endStatus().build()).always();
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
