package io.cassandraoperator.agent.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cassandraoperator.agent.cassandra.CassandraNode.NodeUnreachableException;
import io.cassandraoperator.agent.cassandra.CassandraNode;
import io.cassandraoperator.agent.cassandra.OperationFailure;
import io.cassandraoperator.agent.operations.NodeOperation;
import io.cassandraoperator.agent.operations.RepeatableOperation;
import io.cassandraoperator.agent.threads.DaemonThreads;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.agent.AgentError;
import io.cassandraoperator.api.agent.BusyAnswer;
import io.cassandraoperator.api.agent.RunRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The agent's HTTP API: probes without a token, and under {@code /v1/} the operator's calls with
 * {@code Authorization: Bearer <token>}.
 */
public final class AgentHttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentHttpApi.class);
    /** A run's id must be a JSON string: a number or boolean is refused, not taken for its text. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .withCoercionConfig(LogicalType.Textual, config -> config
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private final HttpServer server;
    private final ExecutorService executor;
    private final byte[] expectedAuthorization;
    private final String member;
    private final BooleanSupplier alive;
    private final Readiness readiness;
    private final CassandraNode node;
    private final NodeOperation decommission;
    private final Map<String, RepeatableOperation> repeatableOperations;

    /** @param member {@code <cluster>/<member>}: a call naming another member ({@link Contract.AgentApi#MEMBER_HEADER}) is refused */
    public AgentHttpApi(InetSocketAddress address, String token, String member, BooleanSupplier alive, Readiness readiness,
                        CassandraNode node, NodeOperation decommission, RepeatableOperation cleanup,
                        RepeatableOperation repair) {
        this.member = member;
        this.expectedAuthorization = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.alive = alive;
        this.readiness = readiness;
        this.node = node;
        this.decommission = decommission;
        this.repeatableOperations = Map.of(Contract.AgentApi.CLEANUP, cleanup, Contract.AgentApi.REPAIR, repair);
        try {
            this.server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address, e);
        }
        // A few threads: a slow JMX call must not hold up the kubelet's probes.
        this.executor = Executors.newFixedThreadPool(4, DaemonThreads.named("agent-http"));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public void start() {
        server.start();
        LOG.info("Agent API listening on {}", server.getAddress());
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals(Contract.AgentApi.LIVENESS)) {
                boolean isAlive = alive.getAsBoolean();
                respondGetOnly(exchange, method, isAlive ? 200 : 503, new LivenessAnswer(isAlive));
            } else if (path.equals(Contract.AgentApi.READINESS)) {
                String reason = readiness.notReadyReason();
                respondGetOnly(exchange, method, reason == null ? 200 : 503, new ReadinessAnswer(reason == null, reason));
            } else if (path.startsWith("/v1/")) {
                String meantFor = exchange.getRequestHeaders().getFirst(Contract.AgentApi.MEMBER_HEADER);
                if (!authorized(exchange)) {
                    respond(exchange, 401, new AgentError("missing or wrong bearer token"));
                } else if (meantFor != null && !meantFor.equals(member)) {
                    LOG.warn("Refusing {} {}: it is meant for member {}, this agent runs {}", method, path, meantFor, member);
                    respond(exchange, Contract.AgentApi.MISDIRECTED, new AgentError("this agent runs member " + member
                            + ", not " + meantFor + "; nothing was done"));
                } else {
                    handleOperation(exchange, path, method);
                }
            } else {
                respond(exchange, 404, new AgentError("no such path: " + path));
            }
        } catch (RuntimeException e) {
            LOG.error("Request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            respond(exchange, 500, new AgentError(OperationFailure.message(e)));
        }
    }

    private void handleOperation(HttpExchange exchange, String path, String method) throws IOException {
        if (path.equals(Contract.AgentApi.NODE)) {
            if (!method.equals("GET")) {
                respond(exchange, 405, new AgentError("use GET"));
                return;
            }
            try {
                respond(exchange, 200, node.status());
            } catch (NodeUnreachableException e) {
                respond(exchange, 503, new AgentError(e.getMessage()));
            }
            return;
        }
        if (path.equals(Contract.AgentApi.DECOMMISSION)) {
            handleDecommission(exchange, method);
            return;
        }
        RepeatableOperation repeatable = repeatableOperations.get(path);
        if (repeatable == null) {
            respond(exchange, 404, new AgentError("no such path: " + path));
        } else {
            handleRepeatable(exchange, method, repeatable);
        }
    }

    private void handleDecommission(HttpExchange exchange, String method) throws IOException {
        if (method.equals("GET")) {
            respond(exchange, 200, decommission.report());
        } else if (method.equals("POST")) {
            try {
                NodeOperation.StartResult result = decommission.start();
                respond(exchange, result.started() ? 202 : 200, result.report());
            } catch (NodeUnreachableException e) {
                respond(exchange, 503, new AgentError(e.getMessage()));
            }
        } else {
            respond(exchange, 405, new AgentError("use GET or POST"));
        }
    }

    /**
     * GET [?id=<id>]: the run with that id, or the latest. POST {"id": "<id>"}: 202 when it starts that run, 200 when
     * the run with that id runs or finished, 409 while a run with another id runs.
     */
    private void handleRepeatable(HttpExchange exchange, String method, RepeatableOperation operation)
            throws IOException {
        if (method.equals("GET")) {
            respond(exchange, 200, operation.report(queryParameter(exchange, "id")));
        } else if (method.equals("POST")) {
            Optional<String> id = runId(exchange);
            if (id.isEmpty()) {
                respond(exchange, 400, new AgentError("the body must be a JSON object with a non-empty \"id\""));
                return;
            }
            try {
                RepeatableOperation.StartResult result = operation.start(id.get());
                switch (result.outcome()) {
                    case STARTED -> respond(exchange, 202, result.report());
                    case EXISTING -> respond(exchange, 200, result.report());
                    case BUSY -> respond(exchange, 409, new BusyAnswer(
                            "run " + result.report().id() + " is still running; one run at a time", result.report()));
                }
            } catch (NodeUnreachableException e) {
                respond(exchange, 503, new AgentError(e.getMessage()));
            }
        } else {
            respond(exchange, 405, new AgentError("use GET or POST"));
        }
    }

    private static Optional<String> runId(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        try {
            RunRequest request = JSON.readValue(body, RunRequest.class);
            return Optional.ofNullable(request).map(RunRequest::id).filter(id -> !id.isBlank());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> queryParameter(HttpExchange exchange, String name) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return Optional.empty();
        }
        return Arrays.stream(query.split("&"))
                .map(pair -> pair.split("=", 2))
                .filter(pair -> pair.length == 2 && pair[0].equals(name) && !pair[1].isEmpty())
                .map(pair -> URLDecoder.decode(pair[1], StandardCharsets.UTF_8))
                .findFirst();
    }

    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        return header != null
                && MessageDigest.isEqual(expectedAuthorization, header.trim().getBytes(StandardCharsets.UTF_8));
    }

    private static void respondGetOnly(HttpExchange exchange, String method, int status, Object body) throws IOException {
        if (method.equals("GET") || method.equals("HEAD")) {
            respond(exchange, status, body);
        } else {
            respond(exchange, 405, new AgentError("use GET"));
        }
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The body of {@code /healthz}. */
    record LivenessAnswer(boolean alive) {
    }

    /** The body of {@code /readyz}: {@code message} says why not ready. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ReadinessAnswer(boolean ready, String message) {
    }
}
