package io.cassandraoperator.agent.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cassandraoperator.agent.cassandra.FakeCassandraNode;
import io.cassandraoperator.agent.membership.VolumeMarker;
import io.cassandraoperator.api.Contract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The HTTP surface over a fake node: routing, the token, status codes and JSON shapes. */
class AgentHttpApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final FakeCassandraNode node = new FakeCassandraNode();
    private ServerSocket cqlPort;
    private AgentApiOnFakeNode agent;
    private AgentHttpApi api;
    private Path dataDir;

    @BeforeEach
    void start(@TempDir Path dataDir) throws IOException {
        this.dataDir = dataDir;
        agent = AgentApiOnFakeNode.start(node, dataDir);
        api = agent.api();
        cqlPort = agent.cqlPort();
    }

    @AfterEach
    void stop() throws IOException {
        agent.close();
    }

    @Test
    void probesNeedNoTokenAndReadinessFollowsTheOperationMode() throws Exception {
        HttpResponse<String> alive = send("GET", "/healthz", null);
        assertThat(alive.statusCode()).isEqualTo(200);
        assertThat(alive.body()).isEqualTo("{\"alive\":true}");
        HttpResponse<String> ready = send("GET", "/readyz", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"ready\":true}");

        node.mode = "JOINING";
        HttpResponse<String> joining = send("GET", "/readyz", null);
        assertThat(joining.statusCode()).isEqualTo(503);
        assertThat(joining.body()).isEqualTo("{\"ready\":false,\"message\":\"Cassandra's operation mode is JOINING\"}");

        node.mode = "DECOMMISSION_FAILED";
        assertThat(send("GET", "/readyz", null).statusCode()).isEqualTo(200);

        node.mode = "NORMAL";
        cqlPort.close();
        assertThat(send("GET", "/readyz", null).statusCode()).isEqualTo(503);
    }

    @Test
    void operationsNeedTheBearerToken() throws Exception {
        assertThat(send("GET", "/v1/node", null).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/v1/decommission", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(send("POST", "/v1/decommission", "s3cret").statusCode()).isEqualTo(401);
        assertThat(node.decommissionCalls).hasValue(0);
    }

    /** A call meant for another member (a stale address, now another pod's) does nothing; one for this member runs. */
    @Test
    void aCallNamingAnotherMemberIsRefusedAndChangesNothing() throws Exception {
        HttpResponse<String> misdirected = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.address().getPort()
                        + "/v1/decommission")).header("Authorization", "Bearer s3cret")
                .header(Contract.AgentApi.MEMBER_HEADER, "c/c-dc1-rack1-4").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(misdirected.statusCode()).isEqualTo(Contract.AgentApi.MISDIRECTED);
        assertThat(JSON.readTree(misdirected.body()).get("message").asText()).contains("c/c-dc1-rack1-0").contains("c/c-dc1-rack1-4");
        assertThat(node.decommissionCalls).hasValue(0);

        HttpResponse<String> meant = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.address().getPort()
                        + "/v1/decommission")).header("Authorization", "Bearer s3cret")
                .header(Contract.AgentApi.MEMBER_HEADER, "c/c-dc1-rack1-0").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(meant.statusCode()).isEqualTo(202);
    }

    @Test
    void nodeReportsCassandrasViewOr503() throws Exception {
        HttpResponse<String> response = send("GET", "/v1/node", "Bearer s3cret");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("operationMode").asText()).isEqualTo("NORMAL");
        assertThat(body.get("broadcastAddress").asText()).isEqualTo("10.96.0.10");
        assertThat(body.get("liveNodes")).hasSize(1);

        node.mode = null;
        HttpResponse<String> unreachable = send("GET", "/v1/node", "Bearer s3cret");
        assertThat(unreachable.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(unreachable.body()).get("message").asText()).contains("not reachable");
    }

    /** The operator abandons a bootstrap only on this word: Cassandra never reached NORMAL on the volume (#23). */
    @Test
    void nodeSaysWhetherTheVolumeEverJoinedTheRing() throws Exception {
        node.mode = "JOINING";
        assertThat(JSON.readTree(send("GET", "/v1/node", "Bearer s3cret").body()).get("volumeJoined").asBoolean(true)).isFalse();

        VolumeMarker.joined(dataDir).write();
        assertThat(JSON.readTree(send("GET", "/v1/node", "Bearer s3cret").body()).get("volumeJoined").asBoolean(false)).isTrue();
    }

    @Test
    void postStartsWith202ThenAnswers200WithTheCurrentState() throws Exception {
        HttpResponse<String> first = send("POST", "/v1/decommission", "Bearer s3cret");
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(first.body()).isEqualTo("{\"state\":\"RUNNING\"}");

        HttpResponse<String> second = send("POST", "/v1/decommission", "Bearer s3cret");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo("{\"state\":\"RUNNING\"}");

        node.releaseDecommission.countDown();
        await().until(() -> send("GET", "/v1/decommission", "Bearer s3cret").body().equals("{\"state\":\"DONE\"}"));
        assertThat(node.decommissionCalls).hasValue(1);
    }

    @Test
    void cleanupRunsOncePerIdAndOneAtATime() throws Exception {
        assertThat(send("GET", "/v1/cleanup", "Bearer s3cret").body()).isEqualTo("{\"state\":\"NOT_STARTED\"}");
        node.holdOperation = new CountDownLatch(1);

        HttpResponse<String> first = send("POST", "/v1/cleanup", "Bearer s3cret", "{\"id\":\"round-1\"}");
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(first.body()).get("state").asText()).isEqualTo("RUNNING");
        assertThat(JSON.readTree(first.body()).get("loadBytesBefore").asLong()).isEqualTo(2048);
        assertThat(send("POST", "/v1/cleanup", "Bearer s3cret", "{\"id\":\"round-1\"}").statusCode()).isEqualTo(200);
        HttpResponse<String> other = send("POST", "/v1/cleanup", "Bearer s3cret", "{\"id\":\"round-2\"}");
        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(other.body()).at("/running/id").asText()).isEqualTo("round-1");
        assertThat(JSON.readTree(other.body()).get("message").asText())
                .isEqualTo("run round-1 is still running; one run at a time");

        node.loadBytes = 1024;
        node.holdOperation.countDown();
        await().until(() -> JSON.readTree(send("GET", "/v1/cleanup?id=round-1", "Bearer s3cret").body())
                .get("state").asText().equals("DONE"));
        JsonNode done = JSON.readTree(send("GET", "/v1/cleanup?id=round-1", "Bearer s3cret").body());
        assertThat(done.get("loadBefore").asText()).isEqualTo("2 KiB");
        assertThat(done.get("loadAfter").asText()).isEqualTo("1 KiB");
        assertThat(done.get("loadBytesAfter").asLong()).isEqualTo(1024);
        assertThat(JSON.readTree(send("GET", "/v1/cleanup?id=round-2", "Bearer s3cret").body()).get("state").asText())
                .isEqualTo("NOT_STARTED");

        assertThat(send("POST", "/v1/cleanup", "Bearer s3cret", "{\"id\":\"round-1\"}").statusCode()).isEqualTo(200);
        assertThat(send("POST", "/v1/cleanup", "Bearer s3cret", "{\"id\":\"round-2\"}").statusCode()).isEqualTo(202);
        await().until(() -> JSON.readTree(send("GET", "/v1/cleanup", "Bearer s3cret").body())
                .get("state").asText().equals("DONE"));
        assertThat(node.cleanupCalls).hasValue(2);
        assertThat(node.repairCalls).hasValue(0);
    }

    @Test
    void aRunNeedsAnId() throws Exception {
        assertThat(send("POST", "/v1/cleanup", "Bearer s3cret").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/v1/repair", "Bearer s3cret", "{\"id\":\"\"}").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/v1/repair", "Bearer s3cret", "[\"x\"]").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/v1/repair", "Bearer s3cret", "not json").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/v1/repair", "Bearer s3cret", "{\"id\":7}").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/v1/repair", "Bearer s3cret", "null").statusCode()).isEqualTo(400);
        assertThat(node.cleanupCalls).hasValue(0);
        assertThat(node.repairCalls).hasValue(0);
    }

    @Test
    void repairHasTheSameShape() throws Exception {
        assertThat(send("POST", "/v1/repair", "Bearer s3cret", "{\"id\":\"replace-1\"}").statusCode()).isEqualTo(202);
        await().until(() -> JSON.readTree(send("GET", "/v1/repair?id=replace-1", "Bearer s3cret").body())
                .get("state").asText().equals("DONE"));
        assertThat(node.repairCalls).hasValue(1);
        assertThat(node.cleanupCalls).hasValue(0);
    }

    @Test
    void aRunIsNotStartedWhileCassandraIsUnreachable() throws Exception {
        node.mode = null;
        assertThat(send("POST", "/v1/cleanup", "Bearer s3cret", "{\"id\":\"round-1\"}").statusCode()).isEqualTo(503);
        assertThat(node.cleanupCalls).hasValue(0);
    }

    @Test
    void unknownPathsAndMethodsAreRefused() throws Exception {
        assertThat(send("GET", "/v1/nothing", "Bearer s3cret").statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/v1/decommission", "Bearer s3cret").statusCode()).isEqualTo(405);
    }

    private HttpResponse<String> send(String method, String path, String authorization) throws Exception {
        return send(method, path, authorization, null);
    }

    private HttpResponse<String> send(String method, String path, String authorization, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + api.address().getPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
