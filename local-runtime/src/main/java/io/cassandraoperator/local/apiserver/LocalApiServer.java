package io.cassandraoperator.local.apiserver;

import io.cassandraoperator.local.apiserver.auth.ApiAccess;
import io.cassandraoperator.local.apiserver.auth.BootstrapPolicy;
import io.cassandraoperator.local.apiserver.auth.IssuedTokens;
import io.cassandraoperator.local.apiserver.auth.PrivateFile;
import io.cassandraoperator.local.apiserver.auth.ServingCertificates;
import io.cassandraoperator.local.apiserver.auth.RequestUser;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The local API server: the {@link ApiRouter} over an {@link ObjectStore}, served over HTTPS on 127.0.0.1 by
 * {@link ApiHttpServer} (its own CA, {@link ServingCertificates}) to clients with a token it issued ({@link ApiAccess}), its objects restored from and kept in {@code <state-dir>/api/objects.json}, and a kubeconfig at
 * {@code <state-dir>/kubeconfig} for kubectl and the tests, as its admin ({@code system:masters}).
 */
public final class LocalApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalApiServer.class);
    public static final String NAMESPACE = "default";

    private final ApiHttpServer server;
    private final PodLogs logs;
    private final PodExec exec;
    private final ObjectStore store;
    private final ApiAccess access;
    private final ServingCertificates tls;
    private final Path kubeconfig;
    private final String url;

    private LocalApiServer(ApiHttpServer server, PodLogs logs, PodExec exec, ObjectStore store, ApiAccess access,
            ServingCertificates tls, Path kubeconfig, String url) {
        this.server = server;
        this.logs = logs;
        this.exec = exec;
        this.store = store;
        this.access = access;
        this.tls = tls;
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
            PodExec exec = new PodExec(store);
            ObjectRegistry registry = new ObjectRegistry(store, serviceAddresses);
            ApiRouter router = new ApiRouter(store, discovery, reads, registry, logs);
            // after the registry, whose ClusterIP pool reserves the addresses of the restored Services
            store.load();
            BootstrapPolicy.ensure(store, registry);
            ApiAccess access = new ApiAccess(new IssuedTokens(stateDir.resolve("api").resolve("tokens.json")), store);
            ServingCertificates tls = ServingCertificates.in(stateDir.resolve("api"));
            ApiHttpServer server = new ApiHttpServer(router, new HttpWatch(store, reads), logs, exec, access);
            address.set("127.0.0.1:" + server.start("127.0.0.1", port, tls));
            String url = "https://" + address.get();
            Path kubeconfig = stateDir.resolve("kubeconfig");
            LocalApiServer api = new LocalApiServer(server, logs, exec, store, access, tls, kubeconfig, url);
            api.writeKubeconfig(kubeconfig, RequestUser.ADMIN);
            LOG.info("API server listening on {}; kubeconfig {} (user {}, group {})", url, kubeconfig,
                    RequestUser.ADMIN.name(), RequestUser.SYSTEM_MASTERS);
            return api;
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

    public void setPodExecSource(PodExecSource source) {
        exec.setSource(source);
    }

    /** A new client of this API server as its admin ({@code system:masters}); the caller closes it. */
    public KubernetesClient newClient() {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url).withNamespace(NAMESPACE)
                .withOauthToken(access.tokens().tokenOf(RequestUser.ADMIN)).withCaCertData(caData())
                .withRequestTimeout(30_000).withConnectionTimeout(5_000).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /**
     * Writes a kubeconfig that authenticates as a ServiceAccount, with a token this server issues to it (valid while
     * the ServiceAccount exists), for a process that runs as that account, as a pod with its token mounted would.
     */
    public void writeServiceAccountKubeconfig(String namespace, String name, Path file) {
        try {
            writeKubeconfig(file, RequestUser.serviceAccount(namespace, name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }

    private String caData() {
        return Base64.getEncoder().encodeToString(tls.caPem().getBytes(StandardCharsets.US_ASCII));
    }

    /** The kubeconfig of one user, mode 0600 since it holds the user's token. */
    private void writeKubeconfig(Path file, RequestUser user) throws IOException {
        io.fabric8.kubernetes.api.model.Config kubeconfig = new io.fabric8.kubernetes.api.model.ConfigBuilder()
                .withApiVersion("v1").withKind("Config")
                .addToClusters(new NamedClusterBuilder().withName("cassandra-local").withNewCluster()
                        .withServer(url).withCertificateAuthorityData(caData()).endCluster().build())
                .addToUsers(new NamedAuthInfoBuilder().withName("cassandra-local").withNewUser()
                        .withToken(access.tokens().tokenOf(user)).endUser().build())
                .addToContexts(new NamedContextBuilder().withName("cassandra-local").withNewContext()
                        .withCluster("cassandra-local").withUser("cassandra-local").withNamespace(NAMESPACE)
                        .endContext().build())
                .withCurrentContext("cassandra-local")
                .build();
        PrivateFile.write(file, Serialization.asYaml(kubeconfig));
    }
}
