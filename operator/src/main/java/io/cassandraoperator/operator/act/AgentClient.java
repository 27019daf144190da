package io.cassandraoperator.operator.act;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.agent.BackupReport;
import io.cassandraoperator.api.agent.BackupRequest;
import io.cassandraoperator.api.agent.BusyAnswer;
import io.cassandraoperator.api.agent.NodeStatus;
import io.cassandraoperator.api.agent.RestoreReport;
import io.cassandraoperator.api.agent.RestoreRequest;
import io.cassandraoperator.api.agent.OperationReport;
import io.cassandraoperator.api.agent.RunReport;
import io.cassandraoperator.api.agent.RunRequest;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Calls a member agent's operation API ({@link Contract.AgentApi}): bearer token, JSON bodies of the shared wire
 * types in {@code io.cassandraoperator.api.agent}.
 */
public final class AgentClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The agent could not be reached or answered something other than the API says. */
    static final class AgentUnavailableException extends IOException {
        AgentUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The agent refused to start a run because another run of the same operation is still running. */
    static final class AgentBusyException extends IOException {
        AgentBusyException(String message) {
            super(message);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    public AgentClient() {
    }

    /** The node as the agent reports it: Cassandra's view of itself and the ring, and whether its volume ever joined. */
    NodeStatus node(URI agent, String token, String member) throws IOException {
        return send(HttpRequest.newBuilder(agent.resolve(Contract.AgentApi.NODE)).GET(), token, member, NodeStatus.class);
    }

    /** The state of a one-off operation (decommission). */
    OperationReport get(URI agent, String path, String token, String member) throws IOException {
        return send(HttpRequest.newBuilder(agent.resolve(path)).GET(), token, member, OperationReport.class);
    }

    /** Starts a one-off operation; the agent starts nothing when it runs or finished and reports its state. */
    OperationReport start(URI agent, String path, String token, String member) throws IOException {
        return send(HttpRequest.newBuilder(agent.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()), token, member, OperationReport.class);
    }

    /** The run with this id of a repeatable operation (cleanup, repair): NOT_STARTED when the agent never started it. */
    RunReport getRun(URI agent, String path, String token, String member, String runId) throws IOException {
        return send(HttpRequest.newBuilder(agent.resolve(path + "?id=" + URLEncoder.encode(runId, StandardCharsets.UTF_8))).GET(),
                token, member, RunReport.class);
    }

    /** Starts the run with this id unless it runs or finished; {@link AgentBusyException} while another run runs. */
    RunReport startRun(URI agent, String path, String token, String member, String runId) throws IOException {
        byte[] body = JSON.writeValueAsBytes(new RunRequest(runId));
        return send(HttpRequest.newBuilder(agent.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), token, member, RunReport.class);
    }

    /** The member's backup run with this id: NOT_STARTED when its agent never started it (or lost it restarting). */
    BackupReport getBackup(URI agent, String token, String member, String runId) throws IOException {
        return send(HttpRequest.newBuilder(agent.resolve(Contract.AgentApi.BACKUP + "?id="
                + URLEncoder.encode(runId, StandardCharsets.UTF_8))).GET(), token, member, BackupReport.class);
    }

    /** Starts the backup run unless it runs or finished; the agent answers once its snapshot is taken. */
    BackupReport startBackup(URI agent, String token, String member, BackupRequest request) throws IOException {
        return send(HttpRequest.newBuilder(agent.resolve(Contract.AgentApi.BACKUP)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(request))), token, member, BackupReport.class);
    }

    RestoreReport getRestore(URI agent, String token, String member, String runId) throws IOException {
        return send(HttpRequest.newBuilder(agent.resolve(Contract.AgentApi.RESTORE + "?id="
                + URLEncoder.encode(runId, StandardCharsets.UTF_8))).GET(), token, member, RestoreReport.class);
    }

    RestoreReport startRestore(URI agent, String token, String member, RestoreRequest request) throws IOException {
        return send(HttpRequest.newBuilder(agent.resolve(Contract.AgentApi.RESTORE)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(request))), token, member, RestoreReport.class);
    }

    /** @param member {@code <cluster>/<member>} the call is meant for: an agent that runs another one refuses it */
    private <T> T send(HttpRequest.Builder request, String token, String member, Class<T> report) throws IOException {
        HttpRequest built = request.timeout(TIMEOUT).header("Authorization", "Bearer " + token).header("Accept", "application/json")
                .header(Contract.AgentApi.MEMBER_HEADER, member).build();
        HttpResponse<String> response;
        try {
            response = http.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentUnavailableException("interrupted calling " + built.uri(), e);
        } catch (IOException e) {
            throw new AgentUnavailableException(built.method() + " " + built.uri() + " failed: " + e, e);
        }
        try {
            if (response.statusCode() == 409) {
                throw new AgentBusyException(JSON.readValue(response.body(), BusyAnswer.class).message());
            }
            if (response.statusCode() != 200 && response.statusCode() != 202) {
                throw new AgentUnavailableException(built.method() + " " + built.uri() + " answered " + response.statusCode() + ": "
                        + response.body(), null);
            }
            return JSON.readValue(response.body(), report);
        } catch (AgentBusyException | AgentUnavailableException e) {
            throw e;
        } catch (IOException e) {
            throw new AgentUnavailableException(built.method() + " " + built.uri() + " answered what the API does not say: " + e, e);
        }
    }
}
