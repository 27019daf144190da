package io.cassandraoperator.local.cli;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.Names;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** Starts the runtime (unless it runs), applies the CRD and the files, and waits until every Cluster is Ready. */
@Command(name = "up", description = "Start the local runtime, apply the Cluster files and wait until they are Ready.")
final class UpCommand implements Callable<Integer> {
    @ParentCommand
    CassandraLocal parent;

    @Option(names = {"-f", "--filename"}, description = "manifests to apply (default: examples/cluster.yaml)")
    List<Path> files = new ArrayList<>();

    @Option(names = "--timeout", description = "how long to wait for the Clusters to be Ready (default: ${DEFAULT-VALUE})",
            defaultValue = "PT20M")
    Duration timeout;

    @Option(names = "--operators", paramLabel = "N", description = "operator processes to run when this starts the"
            + " runtime (default: 1). Each runs with leader election on the Lease default/cassandra-operator, as the"
            + " deploy/ Deployment's replicas do: one reconciles, the others stand by and take over when it dies;"
            + " status shows which one leads")
    Integer operators;

    @Override
    public Integer call() throws Exception {
        if (operators != null && operators < 1) {
            System.out.println("--operators must be at least 1");
            return 2;
        }
        long started = System.nanoTime();
        StateDirectory state = parent.state();
        Path project = parent.projectDir();
        List<Path> manifests = files.isEmpty() ? List.of(project.resolve("examples/cluster.yaml")) : files;
        var running = state.daemon();
        if (running.isPresent()) {
            say(started, "runtime already running (pid " + running.get().pid() + ")");
            int runningOperators = state.runningOperators().size();
            if (operators != null && operators != runningOperators) {
                say(started, "it runs " + runningOperators + " operator(s); --operators applies when the runtime starts"
                        + " (down, then up --operators " + operators + ")");
            }
        } else {
            ProcessHandle daemon = DaemonLauncher.launch(state, project, Duration.ofMinutes(3), operators == null ? 1 : operators);
            say(started, "runtime started (pid " + daemon.pid() + "), log " + state.daemonLog());
        }
        try (KubernetesClient client = RuntimeClient.of(state)) {
            ManifestApplier applier = new ManifestApplier(client);
            try (Stream<Path> crds = Files.list(project.resolve("deploy/crds"))) {
                for (Path crd : crds.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"))
                        .sorted().toList()) {
                    applier.apply(crd).forEach(result -> say(started, result));
                }
            }
            List<String> clusterNames = new ArrayList<>();
            for (Path manifest : manifests) {
                applier.apply(manifest).forEach(result -> say(started, result));
                clusterNames.addAll(clusterNames(client, manifest));
            }
            boolean ready = waitForClusters(client, clusterNames, started);
            System.out.println();
            System.out.println("kubeconfig:     " + state.kubeconfig());
            System.out.println("                export KUBECONFIG=" + state.kubeconfig());
            for (String name : clusterNames) {
                Cluster cluster = client.resources(Cluster.class).withName(name).get();
                List<String> points = ClusterProgress.contactPoints(cluster,
                        client.services().inNamespace(cluster.getMetadata().getNamespace()).list().getItems());
                System.out.println("CQL (" + name + "): " + String.join(",", points));
                superuserLogin(client, cluster).ifPresent(System.out::println);
                caCertificate(client, cluster).ifPresent(System.out::println);
            }
            if (!ready) {
                System.out.println("not Ready after " + timeout.toMinutes() + " min: see bin/cassandra-local status"
                        + " and " + state.daemonLog());
                return 1;
            }
            return 0;
        }
    }

    private static List<String> clusterNames(KubernetesClient client, Path manifest) throws IOException {
        try (InputStream in = Files.newInputStream(manifest)) {
            return client.load(in).items().stream().filter(item -> item != null && "Cluster".equals(item.getKind()))
                    .map(HasMetadata::getMetadata).map(m -> m.getName()).toList();
        }
    }

    /** Prints each Cluster's and member's state when it changes; true once all are Ready. */
    private boolean waitForClusters(KubernetesClient client, List<String> names, long started)
            throws InterruptedException {
        long deadline = started + timeout.toNanos();
        List<String> shown = List.of();
        while (System.nanoTime() < deadline) {
            List<Pod> pods = client.pods().list().getItems();
            List<String> lines = new ArrayList<>();
            boolean allReady = true;
            for (String name : names) {
                Cluster cluster = client.resources(Cluster.class).withName(name).get();
                if (cluster == null) {
                    allReady = false;
                    continue;
                }
                lines.addAll(ClusterProgress.lines(cluster, pods));
                allReady &= ClusterProgress.ready(cluster, pods);
            }
            if (!Objects.equals(lines, shown)) {
                for (String line : lines) {
                    if (!shown.contains(line)) {
                        say(started, line);
                    }
                }
                shown = lines;
            }
            if (allReady) {
                say(started, "ready: " + String.join(", ", names));
                return true;
            }
            Thread.sleep(1000);
        }
        return false;
    }

    static void say(long started, String line) {
        System.out.printf("[%4ds] %s%n", Duration.ofNanos(System.nanoTime() - started).toSeconds(), line);
        System.out.flush();
    }

    /** Where clients find the CA that CQL's certificates come from, when the cluster runs with TLS. */
    private static Optional<String> caCertificate(KubernetesClient client, Cluster cluster) {
        String namespace = cluster.getMetadata().getNamespace();
        String secret = cluster.getMetadata().getName() + Contract.TlsSecrets.CA_CERT_SUFFIX;
        return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(secret).get())
                .map(found -> "tls:            CQL over TLS, CA certificate: kubectl get secret " + secret + " -n " + namespace
                        + " -o jsonpath='{.data.ca\\.crt}' | base64 -d > ca.crt");
    }

    /** How to log in, without the password itself: it stays in the Secret, where kubectl reads it on demand. */
    private static Optional<String> superuserLogin(KubernetesClient client, Cluster cluster) {
        String namespace = cluster.getMetadata().getNamespace();
        String secret = Names.superuserSecret(cluster.getMetadata().getName());
        return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(secret).get())
                .map(Secret::getData).map(data -> data.get(Contract.SuperuserSecret.USERNAME))
                .map(username -> "login:          user " + new String(Base64.getDecoder().decode(username), StandardCharsets.UTF_8)
                        + ", password: kubectl get secret " + secret + " -n " + namespace
                        + " -o jsonpath='{.data.password}' | base64 -d");
    }
}
