package io.cassandraoperator.operator;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
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
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

    @Test
    void aStandbyWritesNothingUntilItHoldsTheLease() throws Exception {
        api = new MockApi(true);
        api.allowLeases();
        CompletableFuture<?> elsewhere = holdLease("operator-elsewhere");
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> "operator-elsewhere".equals(leaseHolder()));
            process = start(freePort(), "operator-a");
            await().atMost(Duration.ofSeconds(60)).until(() -> log("operator-a").contains("Operator started"));
            api.client.resource(TestClusters.cluster("c", NAMESPACE, 1)).create();
            api.drainRequests();
            // Its informers see the new Cluster at once; a standby must leave it alone however long it waits.
            Thread.sleep(Duration.ofSeconds(10).toMillis());
            List<String> writes = api.drainRequests().stream()
                    .filter(r -> !"GET".equals(r.getMethod()))
                    .map(r -> r.getMethod() + " " + r.getPath())
                    .filter(w -> !w.contains("/leases") && !w.contains("/selfsubjectrulesreviews"))
                    .toList();
            assertThat(writes).as("writes while another holds the Lease").isEmpty();
            assertThat(api.client.resources(io.cassandraoperator.api.Cluster.class).inNamespace(NAMESPACE).withName("c").get()
                    .getStatus()).isNull();
            assertThat(log("operator-a")).doesNotContain("Holding the Lease");
        } finally {
            elsewhere.cancel(true);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> "operator-a".equals(leaseHolder())
                && api.client.apps().statefulSets().inNamespace(NAMESPACE).withName("c-dc1-rack1").get() != null);
        assertThat(log("operator-a")).contains("Holding the Lease: reconciling");
    }

    @Test
    void aLeaderThatLosesTheLeaseHaltsAtOnce() throws Exception {
        api = new MockApi(true);
        api.allowLeases();
        process = start(freePort(), "operator-a");
        await().atMost(Duration.ofSeconds(60)).until(() -> "operator-a".equals(leaseHolder()));
        // Another replica holds it now (a's renewals were lost, say, and its lease ran out meanwhile).
        // The edit is made again when it meets one of a's renewals (409).
        await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(KubernetesClientException.class).until(() -> {
            api.client.leases().inNamespace(NAMESPACE).withName(OperatorSettings.LEASE_NAME).edit(l -> new LeaseBuilder(l)
                    .editSpec().withHolderIdentity("operator-b").withRenewTime(ZonedDateTime.now(ZoneOffset.UTC)).endSpec().build());
            return true;
        });
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the former leader stops by itself").isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(log("operator-a")).contains("Lost the Lease while running; halting")
                // halted: the shutdown hook, which would let reconciles finish, never ran
                .doesNotContain("Stopping the operator");
    }

    /** Holds the operator's Lease as another replica would (lease 5 s), until the returned future is cancelled. */
    private CompletableFuture<?> holdLease(String identity) {
        return api.client.leaderElector().withConfig(new LeaderElectionConfigBuilder().withName(OperatorSettings.LEASE_NAME)
                .withLock(new LeaseLock(NAMESPACE, OperatorSettings.LEASE_NAME, identity))
                .withLeaseDuration(Duration.ofSeconds(5)).withRenewDeadline(Duration.ofSeconds(3))
                .withRetryPeriod(Duration.ofSeconds(1)).withReleaseOnCancel(false)
                .withLeaderCallbacks(new LeaderCallbacks(() -> { }, () -> { }, leader -> { }))
                .build()).build().start();
    }

    private String log(String identity) throws IOException {
        Path log = dir.resolve(identity + ".log");
        return Files.exists(log) ? Files.readString(log) : "";
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
