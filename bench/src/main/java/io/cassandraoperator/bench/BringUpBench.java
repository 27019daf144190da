package io.cassandraoperator.bench;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.local.baseline.BareMembers;
import io.fabric8.kubernetes.api.model.Pod;
import org.apache.commons.io.file.PathUtils;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 1: examples/cluster.yaml applied to a running local runtime until the Cluster is Ready with 3 members,
 * against the same 3 members started bare one after the other, each as soon as the previous one is ready. The runtime
 * is left running with the Cluster for the next benchmarks.
 */
final class BringUpBench {
    static final String CLUSTER = "cassandra";
    static final String RACK = "rack1";
    private static final List<String> BARE_ADDRESSES = List.of("127.0.6.1", "127.0.6.2", "127.0.6.3");
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private final Path project;
    private final Path workDir;

    BringUpBench(Path project, Path workDir) {
        this.project = project;
        this.workDir = workDir;
    }

    /** The bare baseline: seconds until the third member is ready; per-member times printed. */
    double bareSeconds() throws IOException, InterruptedException {
        Path dir = workDir.resolve("bare-start");
        if (Files.exists(dir)) {
            PathUtils.deleteDirectory(dir);
        }
        try (BareMembers bare = new BareMembers(project, dir, BARE_ADDRESSES.get(0))) {
            long started = System.nanoTime();
            long previous = started;
            for (int i = 0; i < BARE_ADDRESSES.size(); i++) {
                bare.startAndAwaitReady("bare-" + i, BARE_ADDRESSES.get(i), TIMEOUT);
                long now = System.nanoTime();
                System.out.printf("  bare member %d: started -> ready %.1f s%n", i, (now - previous) / 1e9);
                previous = now;
            }
            return (previous - started) / 1e9;
        } finally {
            if (Files.exists(dir)) {
                PathUtils.deleteDirectory(dir);
            }
        }
    }

    /**
     * Applies the example Cluster and waits until it is Ready; prints, per member, how long the operator and the
     * StatefulSet controller took to create its pod after the previous member was ready, how long until its agent
     * answered ready (container start, agent, Cassandra to NORMAL), and how long the pod's readiness probe took to
     * notice (Ready condition).
     */
    double runtimeSeconds(LocalRuntime runtime) throws IOException, InterruptedException {
        Cluster cluster;
        try (InputStream in = Files.newInputStream(project.resolve("examples/cluster.yaml"))) {
            cluster = runtime.client().resources(Cluster.class).load(in).item();
        }
        int wanted = cluster.getSpec().getDatacenter().getRacks().stream().mapToInt(r -> r.getMembers()).sum();
        Map<String, Long> created = new LinkedHashMap<>();
        Map<String, Long> agentReady = new LinkedHashMap<>();
        Map<String, Long> podReady = new LinkedHashMap<>();
        long started = System.nanoTime();
        runtime.client().resource(cluster).inNamespace(LocalRuntime.NAMESPACE).create();
        long deadline = started + TIMEOUT.toNanos();
        while (!runtime.ready(CLUSTER, wanted)) {
            for (Pod pod : runtime.memberPods(CLUSTER)) {
                String name = pod.getMetadata().getName();
                long now = System.nanoTime();
                created.putIfAbsent(name, now);
                String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
                if (!agentReady.containsKey(name) && ip != null && BareMembers.agentReady(ip)) {
                    agentReady.put(name, now);
                }
                if (LocalRuntime.podReady(pod)) {
                    agentReady.putIfAbsent(name, now);
                    podReady.putIfAbsent(name, now);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(CLUSTER + " not Ready within " + TIMEOUT);
            }
            Thread.sleep(100);
        }
        long finished = System.nanoTime();
        long previousReady = started;
        for (String member : created.keySet()) {
            long ready = podReady.getOrDefault(member, finished);
            System.out.printf("  %s: previous ready -> pod created %.1f s, -> agent ready %.1f s, -> pod Ready %.1f s%n",
                    member, (created.get(member) - previousReady) / 1e9,
                    (agentReady.getOrDefault(member, ready) - created.get(member)) / 1e9,
                    (ready - agentReady.getOrDefault(member, ready)) / 1e9);
            previousReady = ready;
        }
        System.out.printf("  last pod Ready -> Cluster Ready %.1f s%n", (finished - previousReady) / 1e9);
        return (finished - started) / 1e9;
    }

    static List<Measurement> measurements(double runtimeSeconds, double bareSeconds) {
        String bench = "1. bring-up, 3 members";
        return List.of(
                Measurement.count(bench, "examples/cluster.yaml applied -> Ready", runtimeSeconds, "s", null),
                Measurement.count(bench, "bare start, one after the other", bareSeconds, "s", null),
                Measurement.ratio(bench, "runtime / bare", runtimeSeconds, bareSeconds, null, 1.10));
    }
}
