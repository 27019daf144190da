package io.cassandraoperator.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JOSDK operator with the Cluster reconciler registered, configured without server-side apply anywhere
 * (docs/architecture.md: create, update with resourceVersion and merge patch work on every API server).
 */
public final class ClusterOperator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterOperator.class);

    private final Operator operator;

    public ClusterOperator(KubernetesClient client, OperatorSettings settings, Metrics metrics) {
        operator = new Operator(o -> o.withKubernetesClient(client)
                .withUseSSAToPatchPrimaryResource(false)
                .withSSABasedCreateUpdateMatchForDependentResources(false)
                .withCloseClientOnStop(false)
                .withMetrics(metrics));
        operator.register(new ClusterReconciler(settings), c -> {
            if (settings.namespaces().isEmpty()) {
                c.watchingAllNamespaces();
            } else {
                c.settingNamespaces(settings.namespaces());
            }
        });
        LOG.info("Watching Clusters in {}; agents on port {}", settings.namespaces().isEmpty() ? "all namespaces" : settings.namespaces(),
                settings.agentPort());
    }

    public ClusterOperator(KubernetesClient client, OperatorSettings settings) {
        this(client, settings, Metrics.NOOP);
    }

    public void start() {
        operator.start();
    }

    /** Started, and every informer has synced and is watching. */
    public boolean ready() {
        return operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
    }

    public boolean alive() {
        return operator.getRuntimeInfo().isStarted();
    }


    @Override
    public void close() {
        operator.stop();
    }
}
