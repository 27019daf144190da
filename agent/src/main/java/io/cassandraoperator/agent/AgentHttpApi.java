package io.cassandraoperator.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cassandraoperator.agent.CassandraNode.NodeUnreachableException;
import io.cassandraoperator.api.Contract;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The agent's HTTP API: probes without a token, and under {@code /v1/} the operator's calls with
 * {@code Authorization: Bearer <token>}.
 */
public final class AgentHttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentHttpApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final byte[] expectedAuthorization;
    private final BooleanSupplier alive;
    private final Readiness readiness;
    private final CassandraNode node;
    private final Map<String, NodeOperation> operations;

    public AgentHttpApi(InetSocketAddress address, String token, BooleanSupplier alive, Readiness readiness,
                        CassandraNode node, NodeOperation decommission, NodeOperation cleanup) {
        this.expectedAuthorization = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.alive = alive;
        this.readiness = readiness;
        this.node = node;
        this.operations = Map.of(Contract.AgentApi.DECOMMISSION, decommission, Contract.AgentApi.CLEANUP, cleanup);
        try {
            this.server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address, e);
        }
        // A few threads: a slow JMX call must not hold up the kubelet's probes.
        this.executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "agent-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public void start() {
        server.start();
        LOG.info("Agent API listening on {}", server.getAddress());
    }

    public InetSocketAddress address() {
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
                respondGetOnly(exchange, method, alive.getAsBoolean() ? 200 : 503,
                        Map.of("alive", alive.getAsBoolean()));
            } else if (path.equals(Contract.AgentApi.READINESS)) {
                String reason = readiness.notReadyReason();
                respondGetOnly(exchange, method, reason == null ? 200 : 503,
                        reason == null ? Map.of("ready", true) : Map.of("ready", false, "message", reason));
            } else if (path.startsWith("/v1/")) {
                if (!authorized(exchange)) {
                    respond(exchange, 401, Map.of("message", "missing or wrong bearer token"));
                } else {
                    handleOperation(exchange, path, method);
                }
            } else {
                respond(exchange, 404, Map.of("message", "no such path: " + path));
            }
        } catch (RuntimeException e) {
            LOG.error("Request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            respond(exchange, 500, Map.of("message", OperationFailure.message(e)));
        }
    }

    private void handleOperation(HttpExchange exchange, String path, String method) throws IOException {
        if (path.equals(Contract.AgentApi.NODE)) {
            if (!method.equals("GET")) {
                respond(exchange, 405, Map.of("message", "use GET"));
                return;
            }
            try {
                respond(exchange, 200, node.status());
            } catch (NodeUnreachableException e) {
                respond(exchange, 503, Map.of("message", e.getMessage()));
            }
            return;
        }
        NodeOperation operation = operations.get(path);
        if (operation == null) {
            respond(exchange, 404, Map.of("message", "no such path: " + path));
        } else if (method.equals("GET")) {
            respond(exchange, 200, operation.report());
        } else if (method.equals("POST")) {
            try {
                NodeOperation.StartResult result = operation.start();
                respond(exchange, result.started() ? 202 : 200, result.report());
            } catch (NodeUnreachableException e) {
                respond(exchange, 503, Map.of("message", e.getMessage()));
            }
        } else {
            respond(exchange, 405, Map.of("message", "use GET or POST"));
        }
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
            respond(exchange, 405, Map.of("message", "use GET"));
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
}
