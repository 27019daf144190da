package io.cassandraoperator.local.network;

import io.cassandraoperator.local.controllers.ControlLoop;
import io.cassandraoperator.local.controllers.ObjectCache;
import io.cassandraoperator.local.controllers.PodReadiness;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * kube-proxy's historical userspace mode: for every Service port with a ClusterIP, a listener on ClusterIP:port that
 * forwards each connection to a Running and Ready pod selected by the Service (any running pod with an IP when the
 * Service has {@code publishNotReadyAddresses}), at the pod's IP and the port's
 * targetPort (by number or by container port name), round robin. The backend is chosen per connection, so a new pod
 * (with a new IP) gets the next connection. Listeners close when their Service goes.
 */
public final class ServiceProxy extends ControlLoop {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceProxy.class);

    private record Endpoint(String clusterIp, int port) {
    }

    private record Target(String namespace, String service, String portName, int port) {
    }

    private final ObjectCache cache;
    private final Map<Endpoint, Listener> listeners = new HashMap<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "service-proxy");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger roundRobin = new AtomicInteger();

    public ServiceProxy(ObjectCache cache) {
        super("service-proxy", 1000);
        this.cache = cache;
        cache.onChange(this::trigger);
    }

    @Override
    protected synchronized void reconcile() {
        Map<Endpoint, Target> wanted = new HashMap<>();
        for (Service service : cache.services()) {
            String ip = service.getSpec().getClusterIP();
            if (ip == null || ip.isEmpty() || ip.equals("None") || service.getSpec().getPorts() == null) {
                continue;
            }
            for (ServicePort port : service.getSpec().getPorts()) {
                if (port.getProtocol() == null || port.getProtocol().equals("TCP")) {
                    wanted.put(new Endpoint(ip, port.getPort()), new Target(service.getMetadata().getNamespace(),
                            service.getMetadata().getName(), port.getName(), port.getPort()));
                }
            }
        }
        listeners.entrySet().removeIf(e -> {
            if (!e.getValue().target.equals(wanted.get(e.getKey()))) {
                LOG.info("closing the proxy on {}:{} ({} changed or is gone)", e.getKey().clusterIp(), e.getKey().port(),
                        e.getValue().target.service());
                e.getValue().close();
                return true;
            }
            return false;
        });
        wanted.forEach((endpoint, target) -> {
            if (!listeners.containsKey(endpoint)) {
                try {
                    Listener listener = new Listener(endpoint, target);
                    listeners.put(endpoint, listener);
                    threads.execute(listener::acceptLoop);
                    LOG.info("proxying {}:{} to the ready pods of Service {}/{}", endpoint.clusterIp(), endpoint.port(),
                            target.namespace(), target.service());
                } catch (IOException e) {
                    LOG.warn("cannot listen on {}:{} for Service {}/{}: {}; retrying", endpoint.clusterIp(),
                            endpoint.port(), target.namespace(), target.service(), e.getMessage());
                }
            }
        });
    }

    /** A ready pod of the Service and the port to reach it on, chosen for one connection. */
    private Optional<InetSocketAddress> backend(Target target) {
        Service service = cache.services().stream()
                .filter(s -> Objects.equals(s.getMetadata().getNamespace(), target.namespace())
                        && s.getMetadata().getName().equals(target.service()))
                .findFirst().orElse(null);
        if (service == null || service.getSpec().getSelector() == null || service.getSpec().getSelector().isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> selector = service.getSpec().getSelector();
        boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
        List<Pod> ready = cache.pods().stream()
                .filter(p -> Objects.equals(p.getMetadata().getNamespace(), target.namespace()))
                .filter(p -> p.getMetadata().getLabels() != null
                        && p.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                .filter(p -> publishNotReady ? isRunning(p) : PodReadiness.isRunningAndReady(p))
                .filter(p -> p.getStatus().getPodIP() != null)
                .sorted(java.util.Comparator.comparing(p -> p.getMetadata().getName()))
                .toList();
        if (ready.isEmpty()) {
            return Optional.empty();
        }
        Pod pod = ready.get(Math.floorMod(roundRobin.getAndIncrement(), ready.size()));
        ServicePort port = service.getSpec().getPorts().stream()
                .filter(p -> p.getPort() == target.port()).findFirst().orElseThrow();
        return targetPort(pod, port).map(p -> new InetSocketAddress(pod.getStatus().getPodIP(), p));
    }

    /**
     * With {@code publishNotReadyAddresses} a Service reaches its pods before they are ready (and while they stop), as
     * the endpoints controller publishes them: a Cassandra member must be reachable by its peers to become ready.
     */
    private static boolean isRunning(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return phase != null && !phase.equals("Succeeded") && !phase.equals("Failed");
    }

    private static Optional<Integer> targetPort(Pod pod, ServicePort port) {
        IntOrString target = port.getTargetPort();
        if (target == null) {
            return Optional.of(port.getPort());
        }
        if (target.getIntVal() != null) {
            return Optional.of(target.getIntVal());
        }
        return pod.getSpec().getContainers().stream()
                .flatMap(c -> c.getPorts() == null ? java.util.stream.Stream.<ContainerPort>empty() : c.getPorts().stream())
                .filter(p -> target.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort)
                .findFirst();
    }

    @Override
    public void close() {
        super.close();
        synchronized (this) {
            listeners.values().forEach(Listener::close);
            listeners.clear();
        }
        threads.shutdownNow();
    }

    private final class Listener {
        private final Target target;
        private final ServerSocket server;

        Listener(Endpoint endpoint, Target target) throws IOException {
            this.target = target;
            this.server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName(endpoint.clusterIp()), endpoint.port()), 128);
        }

        void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    threads.execute(() -> connect(client));
                } catch (IOException e) {
                    if (!server.isClosed()) {
                        LOG.warn("accept on {} failed", server.getLocalSocketAddress(), e);
                    }
                }
            }
        }

        private void connect(Socket client) {
            Optional<InetSocketAddress> backend = backend(target);
            if (backend.isEmpty()) {
                LOG.debug("no ready pod behind Service {}/{}: refusing a connection", target.namespace(),
                        target.service());
                closeQuietly(client);
                return;
            }
            Socket upstream = new Socket();
            try {
                upstream.setTcpNoDelay(true);
                upstream.connect(backend.get(), 5000);
                client.setTcpNoDelay(true);
            } catch (IOException e) {
                LOG.debug("connecting to {} for Service {} failed: {}", backend.get(), target.service(), e.getMessage());
                closeQuietly(client);
                closeQuietly(upstream);
                return;
            }
            SocketPair pair = new SocketPair(client, upstream);
            threads.execute(pair::pumpUpstream);
            pair.pumpDownstream();
        }

        void close() {
            closeQuietly(server);
        }
    }

    static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }
}
