package io.cassandraoperator.bench;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.cassandraoperator.api.Contract;
import io.fabric8.kubernetes.api.model.Service;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * Benchmark 2: lowering members 4 -> 3 until the fourth member is gone (pod, Service and claim), against a bare
 * decommission of an equal node holding equal data. The baseline runs on the same runtime: after the operator's
 * scale-down the rack goes back to 4, the returning member bootstraps the same rows, and its decommission is then
 * started directly through its agent (POST /v1/decommission, i.e. Cassandra's decommission over JMX as nodetool does it)
 * and timed until the agent reports DONE, with no operator step around it. A fourth node outside the operator would
 * need a second ring; this one differs from the measured member only in its host ID.
 */
final class ScaleDownBench {
    private static final int ROWS = 20_000;
    private static final int ROW_BYTES = 1024;
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final JsonMapper JSON = new JsonMapper();

    private final LocalRuntime runtime;
    private final String cluster = BringUpBench.CLUSTER;
    private final String member = BringUpBench.CLUSTER + "-dc1-" + BringUpBench.RACK + "-3";

    ScaleDownBench(LocalRuntime runtime) {
        this.runtime = runtime;
    }

    List<Measurement> run() throws IOException, InterruptedException {
        scaleTo(4);
        writeRows();
        await("settled at 4 after the writes", () -> runtime.settled(cluster, 4));
        double operatorSeconds = operatorScaleDown();
        scaleTo(4);
        double bareSeconds = bareDecommission();
        String bench = "2. scale-down 4->3";
        return List.of(
                Measurement.count(bench, "members 4->3 until the member is gone", operatorSeconds, "s", null),
                Measurement.count(bench, "bare decommission of an equal node", bareSeconds, "s", null),
                Measurement.ratio(bench, "operator / bare", operatorSeconds, bareSeconds, null, 1.10));
    }

    private void scaleTo(int members) throws InterruptedException {
        long started = System.nanoTime();
        runtime.setMembers(cluster, BringUpBench.RACK, members);
        await("Ready and settled at " + members + " members", () -> runtime.settled(cluster, members));
        System.out.printf("  scaled to %d members and settled (cleanup included) in %.1f s%n", members,
                (System.nanoTime() - started) / 1e9);
    }

    /** RF=3 rows over all members at QUORUM: every member, the fourth too, holds about three quarters of them. */
    private void writeRows() throws InterruptedException {
        List<InetSocketAddress> contactPoints = runtime.memberPods(cluster).stream()
                .map(p -> new InetSocketAddress(runtime.addresses(p.getMetadata().getName()).clusterIp(), Contract.Ports.CQL))
                .toList();
        try (CqlSession session = CqlSessions.all(contactPoints, runtime.cqlCredentials(cluster))) {
            CqlSessions.awaitMembersUp(session, 4);
            CqlSessions.schemaChange(session, "CREATE KEYSPACE IF NOT EXISTS scaledown WITH replication ="
                    + " {'class': 'SimpleStrategy', 'replication_factor': 3}");
            CqlSessions.schemaChange(session, "CREATE TABLE IF NOT EXISTS scaledown.rows (id int PRIMARY KEY, v blob)");
            PreparedStatement insert = session.prepare("INSERT INTO scaledown.rows (id, v) VALUES (?, ?)");
            List<BoundStatement> rows = new ArrayList<>();
            for (int id = 0; id < ROWS; id++) {
                byte[] value = new byte[ROW_BYTES];
                ThreadLocalRandom.current().nextBytes(value);
                rows.add(insert.bind(id, ByteBuffer.wrap(value)).setConsistencyLevel(ConsistencyLevel.QUORUM));
            }
            RowWriter.writeAll(session, rows);
        }
        System.out.printf("  wrote %d rows of %d bytes at QUORUM (RF=3)%n", ROWS, ROW_BYTES);
    }

    /**
     * Lowers the rack to 3 and samples, every 200 ms, the member Service's decommission label, the agent's report
     * and the member's pod, Service and claim, to say where the time goes.
     */
    private double operatorScaleDown() throws IOException, InterruptedException {
        LocalRuntime.MemberAddresses addresses = runtime.addresses(member);
        String token = runtime.agentToken(cluster);
        String claim = "data-" + member;
        long started = System.nanoTime();
        runtime.setMembers(cluster, BringUpBench.RACK, 3);
        long labelled = 0;
        long running = 0;
        long done = 0;
        long podGone = 0;
        long deadline = started + TIMEOUT.toNanos();
        while (true) {
            long now = System.nanoTime();
            Service service = runtime.client().services().inNamespace(LocalRuntime.NAMESPACE).withName(member).get();
            boolean pod = runtime.client().pods().inNamespace(LocalRuntime.NAMESPACE).withName(member).get() != null;
            boolean claimExists = runtime.client().persistentVolumeClaims().inNamespace(LocalRuntime.NAMESPACE)
                    .withName(claim).get() != null;
            if (labelled == 0 && service != null && service.getMetadata().getLabels() != null
                    && service.getMetadata().getLabels().containsKey(Contract.Labels.DECOMMISSIONED)) {
                labelled = now;
            }
            if (done == 0 && pod) {
                String state = decommissionState(addresses.podIp(), token);
                if (running == 0 && ("RUNNING".equals(state) || "DONE".equals(state))) {
                    running = now;
                }
                if ("DONE".equals(state)) {
                    done = now;
                }
            }
            if (podGone == 0 && !pod) {
                podGone = now;
            }
            if (service == null && !pod && !claimExists) {
                break;
            }
            if (now > deadline) {
                throw new IllegalStateException(member + " not gone within " + TIMEOUT);
            }
            Thread.sleep(200);
        }
        long gone = System.nanoTime();
        System.out.printf("  operator: members lowered -> label set %.1f s, -> agent RUNNING %.1f s, RUNNING -> DONE"
                        + " (Cassandra) %.1f s, DONE -> pod gone %.1f s, pod gone -> Service and claim gone %.1f s%n",
                seconds(started, labelled), seconds(labelled, running), seconds(running, done), seconds(done, podGone),
                seconds(podGone, gone));
        return (gone - started) / 1e9;
    }

    private double bareDecommission() throws IOException, InterruptedException {
        LocalRuntime.MemberAddresses addresses = runtime.addresses(member);
        String token = runtime.agentToken(cluster);
        long started = System.nanoTime();
        HttpResponse<String> response = HTTP.send(agentRequest(addresses.podIp(), token)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("the agent did not start the decommission: " + response.statusCode() + " "
                    + response.body());
        }
        await("the bare decommission DONE", () -> "DONE".equals(decommissionState(addresses.podIp(), token)));
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("  bare: POST /v1/decommission -> DONE %.1f s%n", seconds);
        return seconds;
    }

    private static String decommissionState(String podIp, String token) {
        try {
            HttpResponse<String> response = HTTP.send(agentRequest(podIp, token).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200
                    ? String.valueOf(JSON.readValue(response.body(), Map.class).get("state")) : "HTTP " + response.statusCode();
        } catch (IOException e) {
            return "unreachable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static HttpRequest.Builder agentRequest(String podIp, String token) {
        return HttpRequest.newBuilder(URI.create("http://" + podIp + ":" + Contract.Ports.AGENT + Contract.AgentApi.DECOMMISSION))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10));
    }

    private static double seconds(long from, long to) {
        return from == 0 || to == 0 ? Double.NaN : (to - from) / 1e9;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not " + what + " within " + TIMEOUT);
            }
            Thread.sleep(200);
        }
    }
}
