package io.cassandraoperator.local.apiserver;

import io.cassandraoperator.local.apiserver.admission.BadClusterCatalogue;
import io.cassandraoperator.local.network.LoopbackAddressPool;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Install on a real Kubernetes cluster" commands, read from the README and run as written by real kubectl
 * (in the project directory) against the local API server, without kubelet or operator: each succeeds, and the
 * Cluster lands in the namespace the operator's Deployment watches.
 */
class ReadmeRealClusterStepsTest {
    private static final Path PROJECT = BadClusterCatalogue.PROJECT_ROOT;

    @TempDir
    Path stateDir;
    private LocalApiServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        server = LocalApiServer.start(stateDir, 0, LoopbackAddressPool.serviceAddresses());
        client = server.newClient();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void theInstallCommandsSucceedAndTheOperatorWatchesTheClustersNamespace() throws Exception {
        List<String> commands = readmeCommands();
        assertThat(commands).containsExactly("kubectl apply -k deploy/",
                "kubectl apply -n cassandra-operator -f examples/cluster.yaml");
        for (String command : commands) {
            List<String> args = new ArrayList<>(Arrays.asList(command.split(" +")));
            args.addAll(1, List.of("--kubeconfig", server.kubeconfig().toString()));
            Path output = Files.createTempFile(stateDir, "kubectl", ".log");
            Process process = new ProcessBuilder(args).directory(PROJECT.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            try {
                assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(command + " finishes").isTrue();
                assertThat(process.exitValue()).as("%s:%n%s", command, Files.readString(output)).isZero();
            } finally {
                process.destroyForcibly();
            }
        }

        GenericKubernetesResource cluster = client.genericKubernetesResources("cassandra.rook.io/v1alpha1", "Cluster")
                .inNamespace("cassandra-operator").withName("cassandra").get();
        assertThat(cluster).as("the example's Cluster in the operator's namespace").isNotNull();
        Deployment operator = client.apps().deployments().inNamespace("cassandra-operator")
                .withName("cassandra-operator").get();
        EnvVar watched = operator.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("WATCH_NAMESPACES")).findFirst().orElseThrow();
        assertThat(watched.getValueFrom().getFieldRef().getFieldPath())
                .as("the operator watches its own namespace, where the Cluster is").isEqualTo("metadata.namespace");
    }

    /** The commands of the first sh block under "## Install on a real Kubernetes cluster", comments left out. */
    private static List<String> readmeCommands() throws Exception {
        List<String> lines = Files.readAllLines(PROJECT.resolve("README.md"));
        int section = lines.indexOf("## Install on a real Kubernetes cluster");
        assertThat(section).as("the README's real-cluster section").isNotNegative();
        int start = lines.subList(section, lines.size()).indexOf("```sh") + section + 1;
        int end = lines.subList(start, lines.size()).indexOf("```") + start;
        return lines.subList(start, end).stream().map(l -> l.replaceAll("#.*", "").trim())
                .filter(l -> !l.isEmpty()).toList();
    }
}
