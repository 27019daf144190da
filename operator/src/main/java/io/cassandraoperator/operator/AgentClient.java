package io.cassandraoperator.operator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** Calls a member agent's operation API (see the agent API brief): bearer token, JSON bodies. */
final class AgentClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The agent's view of one long-running operation (decommission, cleanup); a cleanup or repair run also carries the
     * node's load before and after as Cassandra states it (null when the agent did not report it).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record OperationState(String state, String message, String loadBefore, String loadAfter) {
        OperationState(String state, String message) {
            this(state, message, null, null);
        }

        static final String NOT_STARTED = "NOT_STARTED";
        static final String RUNNING = "RUNNING";
        static final String DONE = "DONE";
        static final String FAILED = "FAILED";
        /** Not an agent state: the agent refused to start a run because another one is still running. */
        static final String BUSY = "BUSY";
    }

    /** The agent could not be reached or answered something other than the API says. */
    static final class AgentUnavailableException extends IOException {
        AgentUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    OperationState get(URI agent, String path, String token) throws AgentUnavailableException {
        return send(HttpRequest.newBuilder(agent.resolve(path)).GET(), token);
    }

    /** Starts the operation; the agent starts nothing when one is running or finished and reports its state. */
    OperationState start(URI agent, String path, String token) throws AgentUnavailableException {
        return send(HttpRequest.newBuilder(agent.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()), token);
    }

    /** The run with this id of a repeatable operation (cleanup): NOT_STARTED when the agent never started it. */
    OperationState getRun(URI agent, String path, String token, String runId) throws AgentUnavailableException {
        return send(HttpRequest.newBuilder(agent.resolve(path + "?id=" + URLEncoder.encode(runId, StandardCharsets.UTF_8))).GET(), token);
    }

    /** Starts the run with this id unless it runs or finished; {@code BUSY} while another run is still running. */
    OperationState startRun(URI agent, String path, String token, String runId) throws AgentUnavailableException {
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("id", runId));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return send(HttpRequest.newBuilder(agent.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), token);
    }

    private OperationState send(HttpRequest.Builder request, String token) throws AgentUnavailableException {
        HttpRequest built = request.timeout(TIMEOUT).header("Authorization", "Bearer " + token).header("Accept", "application/json").build();
        try {
            HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 409) {
                return new OperationState(OperationState.BUSY, JSON.readTree(response.body()).path("message").asText(response.body()));
            }
            if (response.statusCode() != 200 && response.statusCode() != 202) {
                throw new AgentUnavailableException(built.method() + " " + built.uri() + " answered " + response.statusCode() + ": " + response.body(), null);
            }
            return JSON.readValue(response.body(), OperationState.class);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentUnavailableException("interrupted calling " + built.uri(), e);
        } catch (AgentUnavailableException e) {
            throw e;
        } catch (IOException e) {
            throw new AgentUnavailableException(built.method() + " " + built.uri() + " failed: " + e, e);
        }
    }
}
