package io.cassandraoperator.operator;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.cassandraoperator.operator.OperatorHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@link OperatorMain} as the local runtime starts it: a separate JVM with KUBECONFIG, against the mock over HTTP. */
class OperatorMainTest {
    @TempDir
    Path dir;
    private MockApi api;
    private Process process;
    private Process standby;

    @AfterEach
    void stop() throws Exception {
        for (Process p : new Process[]{process, standby}) {
            if (p != null) {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    void runsFromKubeconfigServesProbesAndReconcilesWhileHoldingTheLease() throws Exception {
        api = new MockApi(true);
        api.allowLeases();
        int healthPort = freePort();
        process = start(healthPort, "operator-a");
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).until(() -> status(http, healthPort, "/readyz") == 200);
        assertThat(status(http, healthPort, "/healthz")).isEqualTo(200);

        api.client.resource(TestClusters.cluster("c", NAMESPACE, 1)).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            StatefulSet set = api.client.apps().statefulSets().inNamespace(NAMESPACE).withName("c-dc1-rack1").get();
            return set != null && api.client.services().inNamespace(NAMESPACE).withName("c-dc1-rack1-0").get() != null;
        });
        assertThat(api.client.leases().inNamespace(NAMESPACE).withName(OperatorSettings.LEASE_NAME).get().getSpec().getHolderIdentity())
                .isNotBlank();
        assertThat(process.isAlive()).isTrue();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(body(http, healthPort, "/metrics"))
                .contains("operator_sdk_reconciliations_started_total")
                .contains("cassandra_operator_members{cluster=\"c\",namespace=\"" + NAMESPACE + "\",state=\"desired\"}"));

        // SIGTERM: the shutdown hook stops the operator and gives up the Lease; the JVM ends by itself.
        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void exitsWithAClearMessageWhenTheCrdIsMissing() throws Exception {
        api = new MockApi(false);
        process = start(freePort(), null);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("operator.log"))).contains("clusters.cassandra.rook.io is not installed");
    }

    @Test
    void aStandbyIsReadyAndTakesOverWhenTheLeaderStops() throws Exception {
        api = new MockApi(true);
        api.allowLeases();
        HttpClient http = HttpClient.newHttpClient();
        int leaderPort = freePort();
        process = start(leaderPort, "operator-a");
        await().atMost(Duration.ofSeconds(60)).until(() -> "operator-a".equals(leaseHolder()));
        int standbyPort = freePort();
        standby = start(standbyPort, "operator-b");
        await().atMost(Duration.ofSeconds(60)).until(() -> status(http, standbyPort, "/readyz") == 200);
        assertThat(leaseHolder()).isEqualTo("operator-a");

        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        api.client.resource(TestClusters.cluster("c", NAMESPACE, 1)).create();
        await().atMost(Duration.ofSeconds(90)).until(() -> "operator-b".equals(leaseHolder())
                && api.client.apps().statefulSets().inNamespace(NAMESPACE).withName("c-dc1-rack1").get() != null);
        assertThat(status(http, standbyPort, "/readyz")).isEqualTo(200);
    }

    private String leaseHolder() {
        var lease = api.client.leases().inNamespace(NAMESPACE).withName(OperatorSettings.LEASE_NAME).get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    /** Starts OperatorMain; with an identity it runs with leader election under that identity (HOSTNAME). */
    private Process start(int healthPort, String identity) throws IOException {
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster: {server: "%s"}
                users:
                - name: operator
                  user: {token: unused}
                contexts:
                - name: mock
                  context: {cluster: mock, user: operator, namespace: %s}
                current-context: mock
                """.formatted(api.client.getMasterUrl().toString(), NAMESPACE));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OperatorMain.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(identity == null ? "operator.log" : identity + ".log").toFile());
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        builder.environment().put("WATCH_NAMESPACES", NAMESPACE);
        builder.environment().put("HEALTH_PORT", String.valueOf(healthPort));
        builder.environment().put("HEALTH_BIND", "127.0.0.1");
        builder.environment().remove("KUBERNETES_SERVICE_HOST");
        if (identity != null) {
            builder.environment().put("LEADER_ELECTION_NAMESPACE", NAMESPACE);
            builder.environment().put("HOSTNAME", identity);
        }
        builder.directory(new File(dir.toString()));
        return builder.start();
    }

    private static String body(HttpClient http, int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int status(HttpClient http, int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
