package io.cassandraoperator.operator;

import io.cassandraoperator.api.Cluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The operator's Prometheus metrics: JOSDK's reconcile metrics, the JVM's, every decision the operator reports as an
 * Event ({@code cassandra_operator_events_total} by type and reason: members added, decommissions started, finished and
 * failed, replacements, refused changes, cleanups), the rolling restarts by reason
 * ({@code cassandra_operator_rolling_restarts_total}, a {@code RestartReason}), and the members of each Cluster by state (desired, ready), read
 * from the Clusters' status.
 */
public final class OperatorMetrics implements AutoCloseable {
    static final String EVENTS = "cassandra.operator.events";
    static final String MEMBERS = "cassandra.operator.members";
    static final String ROLLING_RESTARTS = "cassandra.operator.rolling.restarts";
    private static final Duration MEMBERS_REFRESH = Duration.ofSeconds(15);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "members-gauge");
        thread.setDaemon(true);
        return thread;
    });
    private SharedIndexInformer<Cluster> clusters;

    OperatorMetrics() {
        io.micrometer.core.instrument.Metrics.addRegistry(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    /** JOSDK's metrics, into the same registry. */
    Metrics reconcileMetrics() {
        return MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build();
    }

    /** Starts the members gauge over the Clusters of the watched namespaces (all when empty). */
    void watchMembers(KubernetesClient client, Set<String> namespaces) {
        clusters = namespaces.size() == 1
                ? client.resources(Cluster.class).inNamespace(namespaces.iterator().next()).inform()
                : client.resources(Cluster.class).inAnyNamespace().inform();
        MultiGauge members = MultiGauge.builder(MEMBERS).description("Members of each Cluster by state").register(registry);
        refresher.scheduleWithFixedDelay(() -> {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (Cluster cluster : clusters.getStore().list()) {
                if (!namespaces.isEmpty() && !namespaces.contains(cluster.getMetadata().getNamespace()) || cluster.getStatus() == null) {
                    continue;
                }
                Tags tags = Tags.of("namespace", cluster.getMetadata().getNamespace(), "cluster", cluster.getMetadata().getName());
                rows.add(MultiGauge.Row.of(tags.and("state", "desired"), zeroIfNull(cluster.getStatus().getMembers())));
                rows.add(MultiGauge.Row.of(tags.and("state", "ready"), zeroIfNull(cluster.getStatus().getReadyMembers())));
            }
            members.register(rows, true);
        }, 0, MEMBERS_REFRESH.toSeconds(), TimeUnit.SECONDS);
    }

    /** Counts a rack's rolling restart by one of its reasons (a restart with two reasons counts under both). */
    public static void countRestart(String reason) {
        io.micrometer.core.instrument.Metrics.counter(ROLLING_RESTARTS, "reason", reason).increment();
    }

    /** Counts an Event the operator records, by its type and reason. */
    public static void countEvent(String type, String reason) {
        io.micrometer.core.instrument.Metrics.counter(EVENTS, "type", type, "reason", reason).increment();
    }

    String scrape() {
        return registry.scrape();
    }

    private static int zeroIfNull(Integer value) {
        return value == null ? 0 : value;
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        if (clusters != null) {
            clusters.close();
        }
        io.micrometer.core.instrument.Metrics.removeRegistry(registry);
        registry.close();
    }
}
