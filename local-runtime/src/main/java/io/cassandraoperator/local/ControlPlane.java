package io.cassandraoperator.local;

import io.cassandraoperator.local.apiserver.LocalApiServer;
import io.cassandraoperator.local.apiserver.PodExecSource;
import io.cassandraoperator.local.apiserver.PodLogSource;
import io.cassandraoperator.local.controllers.ClaimProtection;
import io.cassandraoperator.local.controllers.ControlLoop;
import io.cassandraoperator.local.controllers.EndpointsController;
import io.cassandraoperator.local.controllers.GarbageCollector;
import io.cassandraoperator.local.controllers.LocalVolumeProvisioner;
import io.cassandraoperator.local.controllers.NodeLifecycle;
import io.cassandraoperator.local.controllers.ObjectCache;
import io.cassandraoperator.local.controllers.PodScheduler;
import io.cassandraoperator.local.controllers.StatefulSetController;
import io.cassandraoperator.local.network.LoopbackAddressPool;
import io.cassandraoperator.local.network.ServiceProxy;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything of the local runtime but the kubelet, in this process: the API server, the controllers (StatefulSet,
 * scheduler, local volumes, garbage collector, nodes) and the Service proxy. The kubelet takes pod IPs from
 * {@link #podAddresses()}, serves logs through {@link #setPodLogSource} and runs {@code kubectl exec} through
 * {@link #setPodExecSource}.
 */
public final class ControlPlane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

    private final Path stateDir;
    private final LocalApiServer api;
    private final KubernetesClient client;
    private final ObjectCache cache;
    private final NodeLifecycle nodes;
    private final List<ControlLoop> loops = new ArrayList<>();
    private final LoopbackAddressPool podAddresses = LoopbackAddressPool.podAddresses();

    private ControlPlane(Path stateDir, int apiPort) {
        this.stateDir = stateDir;
        this.api = LocalApiServer.start(stateDir, apiPort, LoopbackAddressPool.serviceAddresses());
        this.client = api.newClient();
        if (client.namespaces().withName(LocalApiServer.NAMESPACE).get() == null) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata()
                    .withName(LocalApiServer.NAMESPACE).endMetadata().build()).create();
        }
        this.cache = new ObjectCache(client);
        this.nodes = new NodeLifecycle(client, cache, stateDir);
        nodes.ensureNodes();
        loops.add(nodes);
        loops.add(new StatefulSetController(client, cache));
        loops.add(new PodScheduler(client, cache));
        loops.add(new LocalVolumeProvisioner(client, cache, stateDir));
        loops.add(new ClaimProtection(client, cache));
        loops.add(new EndpointsController(client, cache));
        loops.add(new GarbageCollector(client));
        loops.add(new ServiceProxy(cache));
    }

    /**
     * Starts the control plane on a state directory (created if absent; the objects in it come back).
     *
     * @param apiPort the API server's port on 127.0.0.1, 0 for any
     */
    public static ControlPlane start(Path stateDir, int apiPort) {
        ControlPlane plane = new ControlPlane(stateDir, apiPort);
        plane.cache.start();
        plane.loops.forEach(ControlLoop::start);
        LOG.info("control plane up: API {}, state {}", plane.api.url(), stateDir);
        return plane;
    }

    public String apiUrl() {
        return api.url();
    }

    public Path kubeconfig() {
        return api.kubeconfig();
    }

    public Path stateDir() {
        return stateDir;
    }

    /** The control plane's own client; callers that need their own use {@link #newClient()}. */
    public KubernetesClient client() {
        return client;
    }

    /** A new client as the runtime's admin ({@code system:masters}). */
    public KubernetesClient newClient() {
        return api.newClient();
    }

    /** A kubeconfig for a process that runs as this ServiceAccount (which must exist for its token to be valid). */
    public void writeServiceAccountKubeconfig(String namespace, String name, Path file) {
        api.writeServiceAccountKubeconfig(namespace, name, file);
    }

    public LoopbackAddressPool podAddresses() {
        return podAddresses;
    }

    public void setPodLogSource(PodLogSource source) {
        api.setPodLogSource(source);
    }

    public void setPodExecSource(PodExecSource source) {
        api.setPodExecSource(source);
    }

    /** Failure injection: {@code delete-node}, {@code wipe-disk}. */
    public NodeLifecycle nodes() {
        return nodes;
    }

    @Override
    public void close() {
        for (int i = loops.size() - 1; i >= 0; i--) {
            loops.get(i).close();
        }
        cache.close();
        client.close();
        api.close();
        LOG.info("control plane stopped; state kept in {}", stateDir);
    }
}
