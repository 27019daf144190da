package io.cassandraoperator.agent.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cassandraoperator.agent.backup.BackupRuns;
import io.cassandraoperator.agent.backup.RestoreRuns;
import io.cassandraoperator.agent.cassandra.CassandraNode.NodeUnreachableException;
import io.cassandraoperator.agent.cassandra.CassandraNode;
import io.cassandraoperator.agent.cassandra.OperationFailure;
import io.cassandraoperator.agent.operations.NodeOperation;
import io.cassandraoperator.agent.operations.RepeatableOperation;
import io.cassandraoperator.agent.threads.DaemonThreads;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.agent.AgentError;
import io.cassandraoperator.api.agent.BackupReport;
import io.cassandraoperator.api.agent.BackupRequest;
import io.cassandraoperator.api.agent.RestoreReport;
import io.cassandraoperator.api.agent.RestoreRequest;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The agent's HTTP API: probes without a token, and under {@code /v1/} the operator's calls with
 * {@code Authorization: Bearer <token>}.
 * <p>
 * The kubelet restarts a member whose liveness probe times out, so nothing may make a probe wait (#17 rule 12). The
 * JDK's server reads a request on its executor's thread, so a client that sends part of a request and stalls holds
 * that thread (a connection that sends nothing holds none): every request gets a thread of its own
 * ({@link #REQUEST_THREADS} at most; beyond that the server closes the connection), and the server closes a
 * connection whose request is not complete within {@link #REQUEST_SECONDS} s, so holding the threads takes a
 * sustained flood, while the liveness probe fails a member only after a minute. Probes are answered on the request's
 * own thread; the operator's calls, which wait for JMX, run on {@link #OPERATION_THREADS} threads of their own, so
 * neither ever waits for the other.
 */
public final class AgentHttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentHttpApi.class);
    static final int REQUEST_THREADS = 512;
    /** Connections waiting to be accepted: a burst of them must not push the kubelet's connection out. */
    private static final int BACKLOG = 1024;
    static final int OPERATION_THREADS = 4;
    static final int REQUEST_SECONDS = 5;
    private static final int RESPONSE_SECONDS = 30;
    private static final int IDLE_SECONDS = 30;

    static {
        // Read once, when the JDK's server class loads: the agent's own server is the only one in its JVM.
        System.setProperty("sun.net.httpserver.maxReqTime", String.valueOf(REQUEST_SECONDS));
        System.setProperty("sun.net.httpserver.maxRspTime", String.valueOf(RESPONSE_SECONDS));
        System.setProperty("sun.net.httpserver.idleInterval", String.valueOf(IDLE_SECONDS));
    }
    /** A run's id must be a JSON string: a number or boolean is refused, not taken for its text. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .withCoercionConfig(LogicalType.Textual, config -> config
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private final HttpServer server;
    private final ExecutorService requests;
    private final ExecutorService operations;
    private final byte[] expectedAuthorization;
    private final String member;
    private final BooleanSupplier alive;
    private final Readiness readiness;
    private final CassandraNode node;
    private final BooleanSupplier volumeJoined;
    private final NodeOperation decommission;
    private final Map<String, RepeatableOperation> repeatableOperations;
    private final BackupRuns backups;
    private final RestoreRuns restores;

    /**
     * @param member       {@code <cluster>/<member>}: a call naming another member ({@link Contract.AgentApi#MEMBER_HEADER}) is refused
     * @param volumeJoined whether Cassandra ever reached NORMAL on the data volume (its joined marker), reported with the node
     */
    public AgentHttpApi(InetSocketAddress address, String token, String member, BooleanSupplier alive, Readiness readiness,
                        CassandraNode node, BooleanSupplier volumeJoined, NodeOperation decommission, RepeatableOperation cleanup,
                        RepeatableOperation repair, BackupRuns backups, RestoreRuns restores) {
        this.member = member;
        this.backups = backups;
        this.restores = restores;
        this.expectedAuthorization = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.alive = alive;
        this.readiness = readiness;
        this.node = node;
        this.volumeJoined = volumeJoined;
        this.decommission = decommission;
        this.repeatableOperations = Map.of(Contract.AgentApi.CLEANUP, cleanup, Contract.AgentApi.REPAIR, repair);
        try {
            this.server = HttpServer.create(address, BACKLOG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address, e);
        }
        this.requests = new ThreadPoolExecutor(0, REQUEST_THREADS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                DaemonThreads.named("agent-http"));
        this.operations = Executors.newFixedThreadPool(OPERATION_THREADS, DaemonThreads.named("agent-operation-call"));
        server.setExecutor(requests);
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
        requests.shutdownNow();
        operations.shutdownNow();
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
                    onOperationThread(exchange, path, method);
                }
            } else {
                respond(exchange, 404, new AgentError("no such path: " + path));
            }
        } catch (RuntimeException e) {
            LOG.error("Request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            respond(exchange, 500, new AgentError(OperationFailure.message(e)));
        }
    }

    private void onOperationThread(HttpExchange exchange, String path, String method) throws IOException {
        Future<?> call = operations.submit(() -> {
            handleOperation(exchange, path, method);
            return null;
        });
        try {
            call.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    private void handleOperation(HttpExchange exchange, String path, String method) throws IOException {
        if (path.equals(Contract.AgentApi.NODE)) {
            if (!method.equals("GET")) {
                respond(exchange, 405, new AgentError("use GET"));
                return;
            }
            try {
                respond(exchange, 200, node.status().withVolumeJoined(volumeJoined.getAsBoolean()));
            } catch (NodeUnreachableException e) {
                respond(exchange, 503, new AgentError(e.getMessage()));
            }
            return;
        }
        if (path.equals(Contract.AgentApi.DECOMMISSION)) {
            handleDecommission(exchange, method);
            return;
        }
        if (path.equals(Contract.AgentApi.BACKUP)) {
            handleBackup(exchange, method);
            return;
        }
        if (path.equals(Contract.AgentApi.RESTORE)) {
            handleRestore(exchange, method);
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

    /**
     * GET ?id=<id>: that run. POST a BackupRequest: 202 when it started the run (its snapshot is taken by then, or
     * the report says FAILED and why), 200 when the run with that id runs or finished, 409 while another runs.
     */
    private void handleBackup(HttpExchange exchange, String method) throws IOException {
        if (method.equals("GET")) {
            Optional<String> id = queryParameter(exchange, "id");
            if (id.isEmpty()) {
                respond(exchange, 400, new AgentError("name the run: ?id=<run id>"));
            } else {
                respond(exchange, 200, backups.report(id.get()));
            }
        } else if (method.equals("POST")) {
            BackupRequest request;
            try {
                request = JSON.readValue(exchange.getRequestBody().readAllBytes(), BackupRequest.class);
            } catch (IOException e) {
                request = null;
            }
            if (request == null || request.id() == null || request.id().isBlank() || request.snapshotTag() == null
                    || request.store() == null || request.manifestKey() == null || request.keyPrefix() == null) {
                respond(exchange, 400, new AgentError("the body must be a backup request with id, snapshotTag, store,"
                        + " keyPrefix and manifestKey"));
                return;
            }
            BackupRuns.StartResult result = backups.start(request);
            BackupReport report = result.report();
            switch (result.outcome()) {
                case STARTED -> respond(exchange, 202, report);
                case EXISTING -> respond(exchange, 200, report);
                case BUSY -> respond(exchange, 409, new AgentError("backup " + report.id() + " is still running; one at a time"));
            }
        } else {
            respond(exchange, 405, new AgentError("use GET or POST"));
        }
    }

    /** As {@link #handleBackup}, for a restore run. */
    private void handleRestore(HttpExchange exchange, String method) throws IOException {
        if (method.equals("GET")) {
            Optional<String> id = queryParameter(exchange, "id");
            if (id.isEmpty()) {
                respond(exchange, 400, new AgentError("name the run: ?id=<run id>"));
            } else {
                respond(exchange, 200, restores.report(id.get()));
            }
        } else if (method.equals("POST")) {
            RestoreRequest request;
            try {
                request = JSON.readValue(exchange.getRequestBody().readAllBytes(), RestoreRequest.class);
            } catch (IOException e) {
                request = null;
            }
            if (request == null || request.id() == null || request.id().isBlank() || request.store() == null
                    || request.manifestKey() == null || request.tables().isEmpty()) {
                respond(exchange, 400, new AgentError("the body must be a restore request with id, store, manifestKey and tables"));
                return;
            }
            RestoreRuns.StartResult result = restores.start(request);
            RestoreReport report = result.report();
            switch (result.outcome()) {
                case STARTED -> respond(exchange, 202, report);
                case EXISTING -> respond(exchange, 200, report);
                case BUSY -> respond(exchange, 409, new AgentError("restore " + report.id() + " is still running; one at a time"));
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
