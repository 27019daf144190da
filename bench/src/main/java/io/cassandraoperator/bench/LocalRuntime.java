package io.cassandraoperator.bench;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.local.kubelet.ImageCatalog;
import io.cassandraoperator.local.kubelet.RecordedProcess;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A local runtime ({@code bin/cassandra-local}) under a private state directory, driven through its CLI in a child JVM
 * started exactly as bin/cassandra-local starts it, so the operator and the members run as a user's would. Closing it
 * runs {@code down --purge}, then kills by PID anything recorded in the state directory that still runs.
 */
final class LocalRuntime implements AutoCloseable {
    static final String NAMESPACE = "default";

    private final Path project;
    private final Path state;
    private KubernetesClient client;

    private LocalRuntime(Path project, Path state) {
        this.project = project;
        this.state = state;
    }

    /**
     * Starts the runtime and the CRD with no Cluster yet ({@code up} with a manifest holding only a ConfigMap), so a
     * benchmark can time the Cluster alone.
     */
    static LocalRuntime start(Path project, Path state) throws IOException, InterruptedException {
        LocalRuntime runtime = new LocalRuntime(project, state);
        Files.createDirectories(state);
        Path marker = state.getParent().resolve(state.getFileName() + "-started.yaml");
        Files.writeString(marker, """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: bench-runtime, namespace: default}
                data: {purpose: benchmark}
                """);
        try {
            runtime.cli(Duration.ofMinutes(5), "up", "-f", marker.toString());
            runtime.client = new KubernetesClientBuilder().withConfig(runtime.config()).build();
            runtime.awaitOperatorStarted(Duration.ofMinutes(3));
            return runtime;
        } catch (IOException | RuntimeException | InterruptedException e) {
            runtime.close();
            throw e;
        }
    }

    /**
     * {@code up} returns once the API serves, while the operator's JVM may still be starting: a Cluster applied then
     * would be timed with the operator's start-up in it. OperatorMain logs this line once its controller runs.
     */
    private void awaitOperatorStarted(Duration timeout) throws IOException, InterruptedException {
        Path log = state.resolve("logs/operator.log");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(log) || !Files.readString(log).contains("OperatorMain - Operator started")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the operator did not start within " + timeout + "; see " + log);
            }
            Thread.sleep(200);
        }
    }

    KubernetesClient client() {
        return client;
    }

    private Config config() throws IOException {
        Config config = Config.fromKubeconfig(Files.readString(state.resolve("kubeconfig")));
        config.setRequestTimeout(60_000);
        config.setNamespace(NAMESPACE);
        return config;
    }

    /** Runs one CLI command to its end; its output goes to the state directory's parent. */
    String cli(Duration timeout, String... args) throws IOException, InterruptedException {
        Path runtimeModule = project.resolve("local-runtime");
        String classpath = runtimeModule.resolve("target/classes") + ":"
                + Files.readString(runtimeModule.resolve("target/classpath.txt")).trim();
        List<String> command = new ArrayList<>(List.of(ImageCatalog.javaBinary(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Dcassandra.local.project=" + project, "-cp", classpath,
                "io.cassandraoperator.local.cli.CassandraLocal"));
        command.addAll(List.of(args));
        command.addAll(List.of("--state-dir", state.toString()));
        Path output = state.getParent().resolve(state.getFileName() + "-" + args[0] + ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            RecordedProcess.killTree(process.toHandle());
            throw new IllegalStateException("cassandra-local " + String.join(" ", args) + " did not finish within "
                    + timeout + "; see " + output);
        }
        String text = Files.readString(output);
        if (process.exitValue() != 0) {
            throw new IllegalStateException("cassandra-local " + String.join(" ", args) + " failed (exit "
                    + process.exitValue() + "):\n" + text);
        }
        return text;
    }

    Cluster cluster(String name) {
        return client.resources(Cluster.class).inNamespace(NAMESPACE).withName(name).get();
    }

    /** As a user's edit would: read, change, write with the read resourceVersion, again on a conflict. */
    void setMembers(String cluster, String rack, int members) {
        for (int attempt = 1; ; attempt++) {
            try {
                client.resources(Cluster.class).inNamespace(NAMESPACE).withName(cluster).edit(c -> {
                    c.getSpec().getDatacenter().getRacks().stream().filter(r -> r.getName().equals(rack)).findFirst()
                            .orElseThrow().setMembers(members);
                    return c;
                });
                return;
            } catch (KubernetesClientException e) {
                // The operator writes the Cluster's status meanwhile: 409 until the edit is based on the latest.
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    List<Pod> memberPods(String cluster) {
        return client.pods().inNamespace(NAMESPACE).withLabel(Contract.Labels.CLUSTER, cluster).list().getItems();
    }

    /**
     * As {@code up} decides it: Ready=True for the current generation, status counting every wanted member ready, and
     * as many member pods Ready now.
     */
    boolean ready(String name, int wanted) {
        Cluster cluster = cluster(name);
        if (cluster == null || cluster.getStatus() == null
                || !Objects.equals(cluster.getStatus().getObservedGeneration(), cluster.getMetadata().getGeneration())) {
            return false;
        }
        long readyPods = memberPods(name).stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(LocalRuntime::podReady).count();
        return readyPods == wanted && condition(cluster, "Ready").filter("True"::equals).isPresent()
                && Objects.equals(cluster.getStatus().getReadyMembers(), wanted)
                && Objects.equals(cluster.getStatus().getMembers(), wanted);
    }

    /** Ready, and no cleanup, decommission or replacement in progress: a quiet starting point for a timed step. */
    boolean settled(String name, int wanted) {
        return ready(name, wanted) && condition(cluster(name), "Progressing").filter("True"::equals).isEmpty();
    }

    static Optional<String> condition(Cluster cluster, String type) {
        if (cluster.getStatus() == null || cluster.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return cluster.getStatus().getConditions().stream().filter(c -> type.equals(c.getType()))
                .map(Condition::getStatus).findFirst();
    }

    static boolean podReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    String agentToken(String cluster) {
        return secretValue(cluster + Contract.AgentSecret.SUFFIX, Contract.AgentSecret.TOKEN).orElseThrow();
    }

    /** CQL credentials from the cluster's superuser Secret; empty when there is none (Cassandra without authentication). */
    Optional<CqlCredentials> cqlCredentials(String cluster) {
        String secret = cluster + Contract.SuperuserSecret.SUFFIX;
        Optional<String> user = secretValue(secret, Contract.SuperuserSecret.USERNAME);
        Optional<String> password = secretValue(secret, Contract.SuperuserSecret.PASSWORD);
        return user.isPresent() && password.isPresent()
                ? Optional.of(new CqlCredentials(user.get(), password.get())) : Optional.empty();
    }

    private Optional<String> secretValue(String secretName, String key) {
        Secret secret = client.secrets().inNamespace(NAMESPACE).withName(secretName).get();
        if (secret == null || secret.getData() == null || secret.getData().get(key) == null) {
            return Optional.empty();
        }
        return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8));
    }

    /** The member's pod IP (where Cassandra listens) and its Service's ClusterIP (its address in the ring). */
    MemberAddresses addresses(String member) {
        Pod pod = client.pods().inNamespace(NAMESPACE).withName(member).get();
        String clusterIp = client.services().inNamespace(NAMESPACE).withName(member).get().getSpec().getClusterIP();
        return new MemberAddresses(member, pod.getStatus().getPodIP(), clusterIp);
    }

    record MemberAddresses(String member, String podIp, String clusterIp) {
    }

    record CqlCredentials(String username, String password) {
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (client != null) {
            client.close();
        }
        try {
            cli(Duration.ofMinutes(6), "down", "--purge");
        } finally {
            for (ProcessHandle process : leftovers()) {
                RecordedProcess.killTree(process);
            }
        }
    }

    /** Processes recorded under the state directory (daemon, operator, containers) that still run. */
    private List<ProcessHandle> leftovers() throws IOException {
        if (!Files.isDirectory(state)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(state)) {
            return files.filter(p -> p.toString().endsWith(".pid")).map(RecordedProcess::read)
                    .flatMap(Optional::stream).toList();
        }
    }
}
