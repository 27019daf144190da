package io.cassandraoperator.local.apiserver;

import io.cassandraoperator.local.apiserver.registry.ObjectRegistry;
import io.cassandraoperator.local.apiserver.storage.ObjectStore;
import io.cassandraoperator.local.network.LoopbackAddressPool;
import io.fabric8.kubernetes.api.model.NamedClusterBuilder;
import io.fabric8.kubernetes.api.model.NamedContextBuilder;
import io.fabric8.kubernetes.api.model.NamedAuthInfoBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The local API server: the {@link ApiRouter} over an {@link ObjectStore}, served over plain HTTP on 127.0.0.1 by
 * {@link ApiHttpServer}, its objects restored from and kept in {@code <state-dir>/api/objects.json}, and a kubeconfig at
 * {@code <state-dir>/kubeconfig} for kubectl and the operator.
 */
public final class LocalApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalApiServer.class);
    public static final String NAMESPACE = "default";

    private final ApiHttpServer server;
    private final PodLogs logs;
    private final ObjectStore store;
    private final Path kubeconfig;
    private final String url;

    private LocalApiServer(ApiHttpServer server, PodLogs logs, ObjectStore store,
            Path kubeconfig, String url) {
        this.server = server;
        this.logs = logs;
        this.store = store;
        this.kubeconfig = kubeconfig;
        this.url = url;
    }

    /**
     * @param port 0 for any free port
     */
    public static LocalApiServer start(Path stateDir, int port, LoopbackAddressPool serviceAddresses) {
        try {
            ObjectStore store = new ObjectStore(stateDir.resolve("api").resolve("objects.json"));
            AtomicReference<String> address = new AtomicReference<>();
            ApiDiscovery discovery = new ApiDiscovery(address::get);
            ObjectReads reads = new ObjectReads(store, discovery);
            PodLogs logs = new PodLogs(store);
            ApiRouter router = new ApiRouter(store, discovery, reads, new ObjectRegistry(store, serviceAddresses), logs);
            // after the registry, whose ClusterIP pool reserves the addresses of the restored Services
            store.load();
            ApiHttpServer server = new ApiHttpServer(router, new HttpWatch(store, reads), logs);
            address.set("127.0.0.1:" + server.start("127.0.0.1", port));
            String url = "http://" + address.get();
            Path kubeconfig = stateDir.resolve("kubeconfig");
            writeKubeconfig(kubeconfig, url);
            LOG.info("API server listening on {}; kubeconfig {}", url, kubeconfig);
            return new LocalApiServer(server, logs, store, kubeconfig, url);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return url;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public void setPodLogSource(PodLogSource source) {
        logs.setSource(source);
    }

    /** A new client of this API server; the caller closes it. */
    public KubernetesClient newClient() {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url).withNamespace(NAMESPACE)
                .withRequestTimeout(30_000).withConnectionTimeout(5_000).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }

    private static void writeKubeconfig(Path file, String url) throws IOException {
        io.fabric8.kubernetes.api.model.Config kubeconfig = new io.fabric8.kubernetes.api.model.ConfigBuilder()
                .withApiVersion("v1").withKind("Config")
                .addToClusters(new NamedClusterBuilder().withName("cassandra-local").withNewCluster()
                        .withServer(url).endCluster().build())
                .addToUsers(new NamedAuthInfoBuilder().withName("cassandra-local").withNewUser().endUser().build())
                .addToContexts(new NamedContextBuilder().withName("cassandra-local").withNewContext()
                        .withCluster("cassandra-local").withUser("cassandra-local").withNamespace(NAMESPACE)
                        .endContext().build())
                .withCurrentContext("cassandra-local")
                .build();
        Files.createDirectories(file.getParent());
        Files.writeString(file, Serialization.asYaml(kubeconfig));
    }
}
