package io.cassandraoperator.operator;

import io.cassandraoperator.operator.reconcile.BackupReconciler;
import io.cassandraoperator.operator.reconcile.ClusterReconciler;
import io.cassandraoperator.operator.reconcile.RestoreReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The JOSDK operator with the Cluster reconciler registered, configured without server-side apply anywhere
 * (docs/architecture.md: create, update with resourceVersion and merge patch work on every API server).
 */
public final class ClusterOperator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterOperator.class);

    private final Operator operator;
    private final boolean leaderElection;
    private volatile boolean leading;
    private volatile boolean stopping;

    public ClusterOperator(KubernetesClient client, OperatorSettings settings, Metrics metrics) {
        this(client, settings, metrics, () -> Runtime.getRuntime().halt(1));
    }

    /**
     * @param exitAfterInformerError what ends this process when an informer stops for good after it synced; halt, as
     *                               for a lost Lease, and the restart lists everything again. Tests restart the
     *                               operator in their JVM instead, as a kubelet would restart the pod.
     */
    public ClusterOperator(KubernetesClient client, OperatorSettings settings, Metrics metrics, Runnable exitAfterInformerError) {
        leaderElection = settings.leaseNamespace().isPresent();
        operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withCloseClientOnStop(false)
                    .withMetrics(metrics)
                    // fabric8 stops an informer on a watch error it does not retry (a protocol error on the watch's
                    // connection, say): its cache then no longer follows the API, and reconciling from it could act
                    // on a pod or claim that is long gone. JOSDK's default calls System.exit, whose shutdown hook
                    // stops JOSDK gracefully (see leaderCallbacks); the decision is the same, said in our words.
                    .withInformerStoppedHandler((informer, error) -> {
                        if (error != null && informer.hasSynced() && !stopping) {
                            LOG.error("The informer for {} stopped ({}): its cache no longer follows the API server; exiting so that "
                                    + "the restarted operator lists everything again", informer, error.toString());
                            exitAfterInformerError.run();
                        }
                    });
            // With several replicas every one fills its informer caches, but only the holder of the Lease processes
            // events, so a standby never reconciles and never writes; JOSDK starts its event processing once elected.
            settings.leaseNamespace().ifPresent(namespace -> o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(
                    OperatorSettings.LEASE_NAME, namespace, LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                    LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE, LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                    null, leaderCallbacks(), false)));
        });
        operator.register(new ClusterReconciler(settings), c -> {
            // JOSDK's default gives up after 5 failed attempts until the next event; an API server that keeps failing
            // for a while must not leave a half-done step waiting for an event that may never come.
            // Reconciles also a Cluster being deleted, without JOSDK's own finalizer (a Cleaner would put one on every
            // Cluster): only a Cluster whose data goes with it carries one (plan.DataDeletion), so the deletion of a
            // Cluster that keeps its data never waits for the operator.
            c.withTriggerReconcilerOnAllEvents(true);
            c.withRetry(GenericRetry.defaultLimitedExponentialRetry().withoutMaxAttempts().setMaxInterval(Duration.ofMinutes(1).toMillis()));
            if (settings.namespaces().isEmpty()) {
                c.watchingAllNamespaces();
            } else {
                c.settingNamespaces(settings.namespaces());
            }
        });
        operator.register(new BackupReconciler(settings), c -> {
            c.withRetry(GenericRetry.defaultLimitedExponentialRetry().withoutMaxAttempts().setMaxInterval(Duration.ofMinutes(1).toMillis()));
            if (settings.namespaces().isEmpty()) {
                c.watchingAllNamespaces();
            } else {
                c.settingNamespaces(settings.namespaces());
            }
        });
        operator.register(new RestoreReconciler(settings), c -> {
            c.withRetry(GenericRetry.defaultLimitedExponentialRetry().withoutMaxAttempts().setMaxInterval(Duration.ofMinutes(1).toMillis()));
            if (settings.namespaces().isEmpty()) {
                c.watchingAllNamespaces();
            } else {
                c.settingNamespaces(settings.namespaces());
            }
        });
        LOG.info("Watching Clusters in {}; agents on port {}; {}", settings.namespaces().isEmpty() ? "all namespaces" : settings.namespaces(),
                settings.agentPort(), settings.leaseNamespace().map(n -> "reconciling while holding Lease " + OperatorSettings.LEASE_NAME + " in " + n)
                        .orElse("no leader election (one operator replica)"));
    }

    /**
     * Losing the Lease while running means another replica may already reconcile: halt at once. Not System.exit:
     * its shutdown hook stops JOSDK gracefully, which lets running reconciles go on writing for seconds after the
     * Lease is gone (and JOSDK's own exit, called from that hook when we stop, would block forever). The pod (or
     * the local runtime) restarts the process, which then waits for the Lease like any standby.
     */
    private LeaderCallbacks leaderCallbacks() {
        return new LeaderCallbacks(
                () -> {
                    leading = true;
                    LOG.info("Holding the Lease: reconciling");
                },
                () -> {
                    leading = false;
                    if (!stopping) {
                        LOG.error("Lost the Lease while running; halting so that only the new leader reconciles");
                        Runtime.getRuntime().halt(1);
                    }
                },
                leader -> LOG.info("Leader is {}", leader));
    }

    public ClusterOperator(KubernetesClient client, OperatorSettings settings) {
        this(client, settings, Metrics.NOOP);
    }

    public void start() {
        operator.start();
    }

    /**
     * Started, and every informer has synced and is watching; a standby replica (leader election, Lease held by
     * another) is ready as it is: it reconciles nothing until it takes over, and a Deployment rollout must not wait for it.
     */
    public boolean ready() {
        return operator.getRuntimeInfo().isStarted()
                && ((leaderElection && !leading) || operator.getRuntimeInfo().allEventSourcesAreHealthy());
    }

    public boolean alive() {
        return operator.getRuntimeInfo().isStarted();
    }

    @Override
    public void close() {
        stopping = true;
        operator.stop();
    }
}
