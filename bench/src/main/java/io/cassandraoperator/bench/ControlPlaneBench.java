package io.cassandraoperator.bench;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.operator.ClusterOperator;
import io.cassandraoperator.operator.OperatorSettings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmarks 3 and 4: the operator, in this JVM with a counted client, against {@link SimulatedKubernetes} in another.
 * N Clusters of 3 racks × 3 members are created at once and brought to Ready one member at a time each; then every
 * Cluster is made to reconcile again with nothing to change, and the operator's requests are counted.
 */
final class ControlPlaneBench {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(10);

    private final Path workDir;

    ControlPlaneBench(Path workDir) {
        this.workDir = workDir;
    }

    List<Measurement> run(List<Integer> sizes) throws Exception {
        List<Measurement> rows = new ArrayList<>();
        double secondsPerClusterAtSmallest = 0;
        for (int n : sizes) {
            String bench = "4. control plane N=" + n;
            Measurement load = LoadAverage.now(bench);
            Result result = runOnce(n, n == sizes.get(0) || n == 100);
            boolean finished = result.ready == n;
            double perCluster = result.seconds / n;
            if (secondsPerClusterAtSmallest == 0 && finished) {
                secondsPerClusterAtSmallest = perCluster;
            }
            String until = finished ? "time until all Ready" : "time until stopped: " + result.ready + " of " + n + " Ready";
            List<Measurement> sized = new ArrayList<>(List.of(
                    Measurement.count(bench, until, result.seconds, "s", n == 1000 ? 60.0 : null),
                    Measurement.count(bench, "operator JVM CPU time", result.operatorCpuSeconds, "s", null),
                    Measurement.count(bench, "simulated API server CPU time", result.apiCpuSeconds, "s", null),
                    Measurement.count(bench, "operator requests per cluster", result.requestsPerCluster, "requests", null),
                    Measurement.count(bench, "operator heap after GC", result.heapMb, "MB", n == 1000 ? 256.0 : null),
                    Measurement.count(bench, "reconciles per second", result.reconcilesPerSecond, "1/s", null)));
            if (finished && secondsPerClusterAtSmallest > 0) {
                sized.add(Measurement.ratio(bench, "time per cluster vs the smallest N that finished", perCluster,
                        secondsPerClusterAtSmallest, null, 1.5));
            }
            rows.add(load);
            // A size that did not finish measured a smaller workload than its name says: none of its rows may read "met".
            sized.forEach(m -> rows.add(finished ? m : m.unfinished()));
            if (result.steady != null) {
                rows.addAll(steadyRows(n, load, result.steady));
            }
        }
        return rows;
    }

    /**
     * The steady-state figures count only once every Cluster has reconciled in the window: a window in which some
     * Clusters never reconciled would count their reads and writes as zero.
     */
    static List<Measurement> steadyRows(int n, Measurement load, Steady steady) {
        String bench = "3. steady state, " + n + " clusters";
        boolean everyCluster = steady.reconciledClusters == n;
        List<Measurement> rows = new ArrayList<>();
        rows.add(new Measurement(bench, load.metric(), load.value(), load.unit(), null, null, null, true));
        rows.add(Measurement.count(bench, "clusters that reconciled in the window (of " + n + ")", steady.reconciledClusters, "count", null));
        rows.add(Measurement.count(bench, "no-op reconciles observed", steady.reconciles, "count", null));
        Measurement writes = Measurement.count(bench, "operator writes", steady.writes, "requests", 0.0);
        Measurement reads = Measurement.count(bench, "operator reads outside caches", steady.reads, "requests", 0.0);
        rows.add(everyCluster ? writes : writes.unfinished());
        rows.add(everyCluster ? reads : reads.unfinished());
        return rows;
    }

    record Steady(long reconciles, int reconciledClusters, long reads, long writes) {
    }

    private record Result(int ready, double seconds, double heapMb, double reconcilesPerSecond,
                          double operatorCpuSeconds, double apiCpuSeconds, double requestsPerCluster, Steady steady) {
    }

    private Result runOnce(int n, boolean measureSteadyState) throws Exception {
        try (SimulatedKubernetesProcess kubernetes = SimulatedKubernetesProcess.start(workDir.resolve("control-plane-" + n));
             KubernetesClient bench = kubernetes.newClient()) {
            RequestCounter requests = new RequestCounter();
            ReconcileCounter reconciles = new ReconcileCounter();
            KubernetesClient operatorClient = requests.countedClient(kubernetes.config());
            ClusterOperator operator = new ClusterOperator(operatorClient, OperatorSettings.fromEnvironment(Map.of()), reconciles);
            try {
                operator.start();
                ReadyClusters ready = new ReadyClusters();
                double operatorCpuBefore = processCpuSeconds();
                double apiCpuBefore = kubernetes.cpuSeconds();
                long started = System.nanoTime();
                boolean allReady;
                try (Watch watch = bench.resources(Cluster.class).watch(ready)) {
                    for (int i = 0; i < n; i++) {
                        bench.resources(Cluster.class).resource(BenchClusters.cluster("c" + i)).create();
                    }
                    allReady = awaitAllReady(bench, n, started, ready);
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                double operatorCpu = processCpuSeconds() - operatorCpuBefore;
                double apiCpu = kubernetes.cpuSeconds() - apiCpuBefore;
                double reconcilesPerSecond = reconciles.count.get() / seconds;
                double requestsPerCluster = (requests.reads() + requests.writes()) / (double) n;
                double heapMb = heapAfterGc() / 1024.0 / 1024.0;
                Steady steady = measureSteadyState && allReady ? steadyState(bench, n, requests, reconciles) : null;
                return new Result(ready.count(), seconds, heapMb, reconcilesPerSecond, operatorCpu, apiCpu,
                        requestsPerCluster, steady);
            } finally {
                operator.close();
                operatorClient.close();
            }
        }
    }

    /**
     * Every Cluster reconciles again with nothing to change (a label on its client Service changes, which JOSDK
     * delivers as an event exactly as a periodic resync would reach the reconciler), and the operator's requests in
     * that window are counted: all its reads must come from the informer caches and it must write nothing.
     */
    private Steady steadyState(KubernetesClient bench, int n, RequestCounter requests, ReconcileCounter reconciles) throws InterruptedException {
        Thread.sleep(3000);
        long reads = requests.reads();
        long writes = requests.writes();
        long before = reconciles.count.get();
        reconciles.reconciled.clear();
        for (int i = 0; i < n; i++) {
            bench.services().withName("c" + i + "-client").edit(s -> {
                s.getMetadata().getLabels().put("bench/resync", Long.toString(System.nanoTime()));
                return s;
            });
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (reconciles.reconciled.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(3000);
        return new Steady(reconciles.count.get() - before, reconciles.reconciled.size(), requests.reads() - reads,
                requests.writes() - writes);
    }

    /**
     * Follows the Clusters through a watch (no cache: the benchmark runs in the operator's JVM and must not add to its
     * heap), and lists them once every 10 s in case an event was missed. A list of every Cluster every few hundred
     * milliseconds would load the simulated API server, whose every request scans all its objects, more than the
     * operator does at N=1000.
     */
    private static boolean awaitAllReady(KubernetesClient bench, int n, long started, ReadyClusters ready) throws InterruptedException {
        long lastReport = System.nanoTime();
        long lastList = System.nanoTime();
        while (ready.count() < n) {
            if (System.nanoTime() - started > READY_TIMEOUT.toNanos()) {
                System.out.printf("  N=%d: stopped after %s with %d Ready%n", n, READY_TIMEOUT, ready.count());
                return false;
            }
            if (System.nanoTime() - lastList > Duration.ofSeconds(10).toNanos()) {
                bench.resources(Cluster.class).list().getItems().forEach(ready::seen);
                lastList = System.nanoTime();
            }
            if (System.nanoTime() - lastReport > Duration.ofSeconds(10).toNanos()) {
                System.out.printf("  N=%d: %d/%d clusters Ready after %.0f s%n", n, ready.count(), n, (System.nanoTime() - started) / 1e9);
                lastReport = System.nanoTime();
            }
            Thread.sleep(100);
        }
        return true;
    }

    /** CPU time of this JVM: the operator, plus the benchmark's creates and its one watch. */
    private static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    /** The names of the Clusters last seen Ready. */
    private static final class ReadyClusters implements Watcher<Cluster> {
        private final Set<String> ready = ConcurrentHashMap.newKeySet();

        void seen(Cluster cluster) {
            if (BenchClusters.ready(cluster)) {
                ready.add(cluster.getMetadata().getName());
            } else {
                ready.remove(cluster.getMetadata().getName());
            }
        }

        int count() {
            return ready.size();
        }

        @Override
        public void eventReceived(Action action, Cluster cluster) {
            if (action == Action.DELETED) {
                ready.remove(cluster.getMetadata().getName());
            } else {
                seen(cluster);
            }
        }

        @Override
        public void onClose(WatcherException cause) {
            // The periodic list keeps counting.
        }
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** JOSDK's metrics hook, used only to count reconciles and the Clusters they were for. */
    private static final class ReconcileCounter implements Metrics {
        final AtomicLong count = new AtomicLong();
        /** The Clusters reconciled since the last clear, by name. */
        final Set<String> reconciled = ConcurrentHashMap.newKeySet();

        @Override
        public void reconcileCustomResource(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
            count.incrementAndGet();
            reconciled.add(resource.getMetadata().getName());
        }
    }
}
