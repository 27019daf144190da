package io.cassandraoperator.local.e2e;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import com.fasterxml.jackson.databind.JsonNode;
import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.RackSpec;
import io.cassandraoperator.local.cli.CliProcess;
import io.cassandraoperator.local.cli.SuperuserLogin;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One example brought up with the real CLI, real Cassandra, the real operator and agent: the members form one ring,
 * a driver client writes and reads 10,000 rows at QUORUM through the member Services' ClusterIPs, kubectl shows the
 * Cluster ready, {@code down} leaves no process behind and {@code up} brings the same members back with their data.
 * Subclasses name the example.
 */
abstract class ExampleEndToEnd extends EndToEndTest {
    private static final int ROWS = 10_000;

    private final String example;

    ExampleEndToEnd(String example) throws IOException {
        super(LocalRuntimeFixture.of(example));
        this.example = example;
    }

    @Test
    void upFormsOneRingServesQuorumAndComesBackWithItsDataAfterDown() throws Exception {
        Path manifest = CliProcess.PROJECT.resolve("examples").resolve(example);
        long started = System.nanoTime();
        CliProcess.Result up = runtime.up(manifest);
        long upSeconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output()).contains("ready: ", "CQL (", runtime.kubeconfig().toString());
        System.out.printf("MEASURED %s: up to Ready with %d members in %d s%n", example, 3, upSeconds);

        Cluster cluster = onlyCluster();
        String clusterName = cluster.getMetadata().getName();
        assertThat(cluster.getStatus().getReadyMembers()).isEqualTo(3);
        Set<String> racks = cluster.getSpec().getDatacenter().getRacks().stream().map(RackSpec::getName)
                .collect(Collectors.toSet());
        assertThat(runtime.kubectl("get", "clusters", clusterName,
                "-o", "jsonpath={.status.readyMembers}/{.status.members}")).isEqualTo("3/3");
        assertThat(runtime.kubectl("get", "clusters")).contains(clusterName);

        MemberAgents agents = agents(clusterName, Duration.ofSeconds(30));
        SuperuserLogin superuser = runtime.superuser(clusterName);
        assertThat(up.output()).as("how to log in, without the password").contains("login:          user " + superuser.username()
                + ", password: kubectl get secret " + clusterName + "-superuser -n default -o jsonpath='{.data.password}' | base64 -d");
        List<Pod> pods = runtime.client().pods().inNamespace(NAMESPACE)
                .withLabel(Contract.Labels.CLUSTER, clusterName).list().getItems();
        assertThat(pods).hasSize(3);
        MemberHardening.assertRunHardened(pods);
        String memberIp = pods.get(0).getStatus().getPodIP();
        for (Pod pod : pods) {
            // Gossip is eventually consistent: each node's view may lag its readiness by a moment.
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                JsonNode node = agents.get(pod.getStatus().getPodIP(), Contract.AgentApi.NODE);
                assertThat(node.path("operationMode").asText()).as(pod.getMetadata().getName()).isEqualTo("NORMAL");
                assertThat(node.path("liveNodes")).as(node.toString()).hasSize(3);
                assertThat(node.path("unreachableNodes")).as(node.toString()).isEmpty();
                assertThat(node.path("joiningNodes")).as(node.toString()).isEmpty();
                assertThat(node.path("leavingNodes")).as(node.toString()).isEmpty();
            });
        }
        List<InetSocketAddress> contactPoints = runtime.contactPoints(cluster);
        assertThat(contactPoints).hasSize(3);

        superuser.assertOnlyCredentialsLogIn(contactPoints);
        try (CqlSession session = runtime.session(superuser, contactPoints)) {
            // The agents raise it as members join (min(3, members)), so losing one member locks no role out.
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(
                    session.execute("SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = 'system_auth'")
                            .one().getMap("replication", String.class, String.class))
                    .containsEntry("dc1", "3").hasEntrySatisfying("class", c -> assertThat(c).endsWith("NetworkTopologyStrategy")));
            List<Node> nodes = List.copyOf(session.getMetadata().getNodes().values());
            assertThat(nodes).hasSize(3).allSatisfy(node -> assertThat(node.getState()).isEqualTo(NodeState.UP));
            assertThat(nodes.stream().map(node -> node.getBroadcastRpcAddress().orElseThrow()).collect(Collectors.toSet()))
                    .as("members are reached at their sticky ClusterIPs").containsExactlyInAnyOrderElementsOf(contactPoints);
            assertThat(nodes.stream().map(Node::getRack).collect(Collectors.toSet())).as("the ring's racks")
                    .isEqualTo(racks);
            assertThat(nodes.stream().map(Node::getDatacenter).collect(Collectors.toSet())).containsExactly("dc1");
            RowsTable.create(session);
            RowsTable.write(session, ROWS);
            assertThat(RowsTable.readIds(session, ConsistencyLevel.QUORUM)).hasSize(ROWS);
        }
        assertMetricsScraped(clusterName, memberIp);
        assertThat(up.output()).doesNotContain(superuser.password());
        assertThat(runtime.logsContaining(superuser.password())).as("the password is never logged").isEmpty();

        runtime.rememberProcesses();
        Set<ProcessHandle> seen = runtime.processesSeen();
        assertThat(seen).isNotEmpty();
        CliProcess.Result down = runtime.down();
        assertThat(down.exitCode()).as(down.output()).isZero();
        assertThat(seen).as("every process of the runtime is gone after down").noneMatch(ProcessHandle::isAlive);
        assertThat(runtime.processesNamingTheStateDirectory()).isEmpty();

        CliProcess.Result again = runtime.up(manifest);
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(runtime.contactPoints(onlyCluster())).as("members keep their ClusterIPs across down/up")
                .isEqualTo(contactPoints);
        try (CqlSession session = runtime.session(superuser, contactPoints)) {
            assertThat(RowsTable.readIds(session, ConsistencyLevel.QUORUM)).hasSize(ROWS);
        }
    }

    /**
     * The operator's Prometheus endpoint (its port, random on the local runtime, is in its log) and one member's
     * Cassandra exporter on the pod IP: real series with values, not just a 200.
     */
    private void assertMetricsScraped(String clusterName, String memberIp) throws Exception {
        String operatorAddress = operatorMetricsAddress();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(3)).untilAsserted(() -> {
            List<String> samples = scrape("http://" + operatorAddress + "/metrics");
            assertThat(samples).as("the members gauge, refreshed every 15 s")
                    .contains("cassandra_operator_members{cluster=\"" + clusterName + "\",namespace=\"default\",state=\"ready\"} 3.0");
            assertThat(samples).as("JOSDK's reconcile counter").anySatisfy(line -> {
                assertThat(line).startsWith("operator_sdk_reconciliations_success_total{");
                assertThat(sampleValue(line)).isPositive();
            });
            assertThat(samples).anySatisfy(line -> assertThat(line).startsWith("cassandra_operator_events_total{"));
        });
        List<String> member = scrape("http://" + memberIp + ":" + Contract.Ports.METRICS + "/metrics");
        assertThat(member).anySatisfy(line -> {
            assertThat(line).startsWith("cassandra_storage_load ");
            assertThat(sampleValue(line)).as("bytes on disk after 10,000 rows").isPositive();
        });
        assertThat(member).as("this member coordinated some of the writes").anySatisfy(line -> {
            assertThat(line).startsWith("cassandra_client_request_latency_count{operation=\"Write\"}");
            assertThat(sampleValue(line)).isPositive();
        });
    }

    /** {@code host:port} from the operator's last "Probes and metrics on" log line. */
    private String operatorMetricsAddress() throws IOException {
        String marker = "Probes and metrics on ";
        List<String> lines = Files.readAllLines(runtime.operatorLog()).stream().filter(l -> l.contains(marker)).toList();
        assertThat(lines).as("the operator logs where it serves metrics").isNotEmpty();
        String line = lines.get(lines.size() - 1);
        return line.substring(line.indexOf(marker) + marker.length()).split(" ")[0];
    }

    private static List<String> scrape(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body().lines().filter(line -> !line.startsWith("#")).toList();
    }

    private static double sampleValue(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}
