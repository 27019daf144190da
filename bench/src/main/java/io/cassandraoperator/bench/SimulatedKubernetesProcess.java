package io.cassandraoperator.bench;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** {@link SimulatedKubernetes} in a child JVM, stopped by its PID. */
final class SimulatedKubernetesProcess implements AutoCloseable {
    private final Process process;
    private final String url;

    private SimulatedKubernetesProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    static SimulatedKubernetesProcess start(Path workDir) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Path urlFile = workDir.resolve("api-url");
        Files.deleteIfExists(urlFile);
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx4g", "-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"),
                SimulatedKubernetes.class.getName(), urlFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("simulated-kubernetes.log").toFile())
                .start();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (!Files.exists(urlFile) || Files.readString(urlFile).isBlank()) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                process.destroyForcibly();
                throw new IllegalStateException("simulated Kubernetes did not start; see " + workDir.resolve("simulated-kubernetes.log"));
            }
            Thread.sleep(100);
        }
        return new SimulatedKubernetesProcess(process, Files.readString(urlFile).trim());
    }

    Config config() {
        return new ConfigBuilder(Config.empty()).withMasterUrl(url).withNamespace("default").withRequestTimeout(60_000).build();
    }

    /** A client for the benchmark's own reads and writes, not counted as the operator's. */
    KubernetesClient newClient() {
        return new KubernetesClientBuilder().withConfig(config()).build();
    }

    /** CPU time the simulated API server has used so far. */
    double cpuSeconds() {
        return process.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
