package io.cassandraoperator.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Member agents as the operator sees them: one HTTP server per pod IP (distinct loopback addresses, one port),
 * answering the decommission API with states the test sets, and counting the calls.
 */
final class FakeAgents implements AutoCloseable {
    final int port;
    private final Supplier<String> token;
    private final Map<String, HttpServer> servers = new ConcurrentHashMap<>();
    private final Map<String, String> states = new ConcurrentHashMap<>();
    private final Map<String, String> failureMessages = new ConcurrentHashMap<>();
    /** What a started decommission turns into: RUNNING until the test says otherwise. */
    private final Map<String, String> outcomes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> posts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> gets = new ConcurrentHashMap<>();
    final AtomicInteger unauthorized = new AtomicInteger();
    /** Cleanup runs by member and run id; a started run turns into {@link #cleanupOutcome}. */
    private final Map<String, String> cleanupRuns = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> cleanupPosts = new ConcurrentHashMap<>();
    private final java.util.List<String> cleanupOrder = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile String cleanupOutcome = "DONE";
    /** Repair runs by member and run id; a started run turns into {@link #repairOutcome}. */
    private final Map<String, String> repairRuns = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> repairPosts = new ConcurrentHashMap<>();
    volatile String repairOutcome = "DONE";
    private volatile boolean available = true;

    FakeAgents(Supplier<String> token) throws IOException {
        this.token = token;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            this.port = probe.getLocalPort();
        }
    }

    /** The agent of a member on its pod IP. */
    synchronized void serve(String ip, String member) throws IOException {
        if (servers.containsKey(ip)) {
            return;
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(ip, port), 0);
        server.createContext("/v1/decommission", exchange -> handle(exchange, member));
        server.createContext("/v1/cleanup", exchange -> handleRun(exchange, member, cleanupRuns, cleanupPosts, cleanupOutcome, cleanupOrder));
        server.createContext("/v1/repair", exchange -> handleRun(exchange, member, repairRuns, repairPosts, repairOutcome, new java.util.ArrayList<>()));
        server.start();
        servers.put(ip, server);
    }

    void available(boolean available) {
        this.available = available;
    }

    void finishDecommission(String member, String state, String message) {
        outcomes.put(member, state);
        if (message != null) {
            failureMessages.put(member, message);
        }
        states.computeIfPresent(member, (m, s) -> "RUNNING".equals(s) ? state : s);
    }

    int posts(String member) {
        return posts.computeIfAbsent(member, m -> new AtomicInteger()).get();
    }

    int gets(String member) {
        return gets.computeIfAbsent(member, m -> new AtomicInteger()).get();
    }

    int repairPosts(String member) {
        return repairPosts.computeIfAbsent(member, m -> new AtomicInteger()).get();
    }

    /** The repair runs that started, as {@code member/run id}. */
    java.util.Set<String> repairRuns() {
        return java.util.Set.copyOf(repairRuns.keySet());
    }

    /** Finishes every running repair run with this state. */
    void finishRepairs(String state) {
        repairRuns.replaceAll((run, current) -> "RUNNING".equals(current) ? state : current);
    }

    int cleanupPosts(String member) {
        return cleanupPosts.computeIfAbsent(member, m -> new AtomicInteger()).get();
    }

    /** The members whose cleanup started, in the order they started. */
    java.util.List<String> cleanupOrder() {
        return java.util.List.copyOf(cleanupOrder);
    }

    /** Finishes every running cleanup run with this state. */
    void finishCleanups(String state) {
        cleanupRuns.replaceAll((run, current) -> "RUNNING".equals(current) ? state : current);
    }

    /** Makes every running cleanup fail with Cassandra's message. */
    void failCleanups(String message) {
        cleanupRuns.forEach((run, state) -> {
            if ("RUNNING".equals(state)) {
                failureMessages.put(run.substring(0, run.indexOf('/')), message);
                cleanupRuns.put(run, "FAILED");
            }
        });
    }

    boolean cleanupRunning(String member) {
        return cleanupRuns.entrySet().stream().anyMatch(e -> e.getKey().startsWith(member + "/") && "RUNNING".equals(e.getValue()));
    }

    int totalPosts() {
        return posts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private void handle(HttpExchange exchange, String member) throws IOException {
        if (!available) {
            answer(exchange, 503, "{\"message\":\"Cassandra is not reachable over JMX yet\"}");
            return;
        }
        if (!("Bearer " + token.get()).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            unauthorized.incrementAndGet();
            answer(exchange, 401, "{\"message\":\"unauthorized\"}");
            return;
        }
        int code = 200;
        if ("POST".equals(exchange.getRequestMethod())) {
            posts.computeIfAbsent(member, m -> new AtomicInteger()).incrementAndGet();
            if (states.putIfAbsent(member, outcomes.getOrDefault(member, "RUNNING")) == null) {
                code = 202;
            }
        } else {
            gets.computeIfAbsent(member, m -> new AtomicInteger()).incrementAndGet();
        }
        String state = states.getOrDefault(member, "NOT_STARTED");
        String message = "FAILED".equals(state) ? ",\"message\":\"" + failureMessages.get(member) + "\"" : "";
        answer(exchange, code, "{\"state\":\"" + state + "\"" + message + "}");
    }

    private void handleRun(HttpExchange exchange, String member, Map<String, String> runs, Map<String, AtomicInteger> postCounts,
                           String outcome, java.util.List<String> order) throws IOException {
        if (!available) {
            answer(exchange, 503, "{\"message\":\"Cassandra is not reachable over JMX yet\"}");
            return;
        }
        if (!("Bearer " + token.get()).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            unauthorized.incrementAndGet();
            answer(exchange, 401, "{\"message\":\"unauthorized\"}");
            return;
        }
        String id;
        int code = 200;
        if ("POST".equals(exchange.getRequestMethod())) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            id = body.replaceAll(".*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
            postCounts.computeIfAbsent(member, m -> new AtomicInteger()).incrementAndGet();
            if (runs.putIfAbsent(member + "/" + id, outcome) == null) {
                order.add(member);
                code = 202;
            }
        } else {
            String query = exchange.getRequestURI().getQuery();
            id = query == null ? "" : query.replaceFirst("^id=", "");
        }
        String state = runs.getOrDefault(member + "/" + id, "NOT_STARTED");
        String message = "FAILED".equals(state) ? ",\"message\":\"" + failureMessages.get(member) + "\"" : "";
        answer(exchange, code, "{\"id\":\"" + id + "\",\"state\":\"" + state + "\"" + message + "}");
    }

    private static void answer(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        servers.values().forEach(s -> s.stop(0));
    }
}
