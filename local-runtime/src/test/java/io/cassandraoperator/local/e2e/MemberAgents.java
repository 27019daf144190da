package io.cassandraoperator.local.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cassandraoperator.api.Contract;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** The agents of one cluster's members, reached at their pod IPs with the cluster's agent token, as the operator does. */
final class MemberAgents {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String token;
    private final Duration timeout;

    private MemberAgents(String token, Duration timeout) {
        this.token = token;
        this.timeout = timeout;
    }

    /** With the token of the cluster's agent Secret; each request gives up after {@code timeout}. */
    static MemberAgents of(KubernetesClient client, String cluster, Duration timeout) {
        String token = new String(Base64.getDecoder().decode(client.secrets().inNamespace(LocalRuntimeFixture.NAMESPACE)
                .withName(cluster + Contract.AgentSecret.SUFFIX).get().getData().get(Contract.AgentSecret.TOKEN)),
                StandardCharsets.UTF_8);
        return new MemberAgents(token, timeout);
    }

    /** GET on the agent at that pod IP; a failed request is an assertion failure, so that the caller may retry it. */
    JsonNode get(String podIP, String path) throws IOException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + podIP + ":" + Contract.Ports.AGENT + path))
                    .header("Authorization", "Bearer " + token).timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " on " + podIP + " failed: " + e, e);
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
