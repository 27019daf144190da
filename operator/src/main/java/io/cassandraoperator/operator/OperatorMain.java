package io.cassandraoperator.operator;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.backup.Backup;
import io.cassandraoperator.api.backup.Restore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the operator: API access the usual fabric8 way (KUBECONFIG, ~/.kube/config or in-cluster), namespaces from
 * {@code WATCH_NAMESPACES} (comma-separated, empty = all), probes on {@code HEALTH_BIND}:{@code HEALTH_PORT}.
 */
public final class OperatorMain {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

    private OperatorMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        OperatorSettings settings = OperatorSettings.fromEnvironment(env);
        KubernetesClient client = new KubernetesClientBuilder().build();
        LOG.info("API server {}", client.getMasterUrl());
        for (String crd : List.of(Cluster.CRD_NAME, Backup.CRD_NAME, Restore.CRD_NAME)) {
            if (!crdInstalled(client, crd)) {
                LOG.error("The CustomResourceDefinition {} is not installed: apply deploy/crds first. Exiting.", crd);
                client.close();
                System.exit(2);
            }
        }
        int port = Integer.parseInt(env.getOrDefault("HEALTH_PORT", "8081"));
        String bind = env.getOrDefault("HEALTH_BIND", "0.0.0.0");
        OperatorMetrics metrics = new OperatorMetrics();
        ClusterOperator operator = new ClusterOperator(client, settings, metrics.reconcileMetrics());
        HealthServer health = new HealthServer(new InetSocketAddress(bind, port), operator::alive, operator::ready, metrics::scrape);
        metrics.watchMembers(client, settings.namespaces());
        LOG.info("Probes and metrics on {}:{} (/healthz, /readyz, /metrics)", bind, health.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Stopping the operator");
            operator.close();
            health.close();
            metrics.close();
            client.close();
            stopped.countDown();
        }, "shutdown"));
        operator.start();
        LOG.info("Operator started");
        stopped.await();
    }

    private static boolean crdInstalled(KubernetesClient client, String crd) {
        try {
            return client.apiextensions().v1().customResourceDefinitions().withName(crd).get() != null;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                // Not allowed to read CRDs: the informers will fail clearly if it is missing.
                LOG.warn("Cannot check for the CRD {} (forbidden); continuing", crd);
                return true;
            }
            throw e;
        }
    }
}
