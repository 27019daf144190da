package io.cassandraoperator.local.apiserver;

import io.cassandraoperator.local.apiserver.admission.BadSpecCatalogue;
import io.cassandraoperator.local.network.LoopbackAddressPool;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official Kubernetes Python client (Debian's {@code python3-kubernetes} for {@code /usr/bin/python3}, installed
 * by {@code install-python-kubernetes} when absent) lists, gets, patches and watches pods and Clusters; a watch from a
 * list's resourceVersion first receives the MODIFIED event of the change made after it.
 */
class PythonClientTest {
    private static final Path SCRIPTS = BadSpecCatalogue.PROJECT_ROOT
            .resolve("local-runtime/src/test/resources/python-client");

    @TempDir
    Path stateDir;
    private LocalApiServer server;
    private KubernetesClient client;

    @BeforeAll
    static void installTheClient() throws Exception {
        Result install = run(List.of(SCRIPTS.resolve("install-python-kubernetes").toString()), 600);
        assertThat(install.exitCode()).as("installing python3-kubernetes for /usr/bin/python3 (the test needs it):\n%s",
                install.output()).isZero();
    }

    @BeforeEach
    void start() throws IOException {
        server = LocalApiServer.start(stateDir, 0, LoopbackAddressPool.serviceAddresses());
        client = server.newClient();
        client.apiextensions().v1().customResourceDefinitions().resource(Serialization.unmarshal(
                new FileInputStream(LocalApiServerTest.CRD.toFile()), CustomResourceDefinition.class)).create();
        client.pods().resource(LocalApiServerTest.pod("python-pod", null)).create();
        client.genericKubernetesResources("cassandra.rook.io/v1alpha1", "Cluster").resource(Serialization.unmarshal(
                new FileInputStream(BadSpecCatalogue.PROJECT_ROOT.resolve("examples/cluster.yaml").toFile()),
                GenericKubernetesResource.class)).create();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void listsGetsPatchesAndWatchesPodsAndClusters() throws Exception {
        Result session = run(List.of("/usr/bin/python3", SCRIPTS.resolve("client_session.py").toString(),
                server.kubeconfig().toString()), 120);
        assertThat(session.exitCode()).as(session.output()).isZero();
        assertThat(session.output().lines().filter(l -> !l.contains(" watch event ")).toList()).containsExactly(
                "pods listed python-pod",
                "pod got python-pod image x:1",
                "pod patched label python",
                "pod first event MODIFIED label watched",
                "clusters listed cassandra",
                "cluster got cassandra version 5.0.8",
                "cluster patched label python",
                "cluster first event MODIFIED label watched");
        assertThat(client.pods().withName("python-pod").get().getMetadata().getLabels())
                .containsEntry("patched-by", "python").containsEntry("step", "watched");
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        // to a file, so that no pipe fills while the process runs
        Path output = Files.createTempFile("python-client", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds
                        + "s:\n" + Files.readString(output));
            }
            return new Result(process.exitValue(), Files.readString(output));
        } finally {
            process.destroyForcibly();
            Files.delete(output);
        }
    }
}
