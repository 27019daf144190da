package io.cassandraoperator.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cassandraoperator.api.Contract.AgentApi;
import io.cassandraoperator.api.agent.AgentError;
import io.cassandraoperator.api.agent.NodeStatus;
import io.cassandraoperator.api.agent.BackupReport;
import io.cassandraoperator.api.agent.BackupRequest;
import io.cassandraoperator.api.agent.OperationReport;
import io.cassandraoperator.api.agent.OperationState;
import io.cassandraoperator.api.agent.RunReport;
import io.cassandraoperator.api.agent.RunRequest;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Member agents as the operator sees them: one HTTP server per pod IP (distinct loopback addresses, one port),
 * answering the decommission, cleanup and repair API with the shared wire types in states the test sets, and counting
 * the calls.
 */
final class FakeAgents implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final int port;
    private final Supplier<String> token;
    private final Map<String, HttpServer> servers = new ConcurrentHashMap<>();
    private final Map<String, OperationState> states = new ConcurrentHashMap<>();
    private final Map<String, String> failureMessages = new ConcurrentHashMap<>();
    /** What a started decommission turns into: RUNNING until the test says otherwise. */
    private final Map<String, OperationState> outcomes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> posts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> gets = new ConcurrentHashMap<>();
    final AtomicInteger unauthorized = new AtomicInteger();
    /** Calls that did not name the member this agent runs (as {@code <cluster>/<member>}): refused as a real agent does. */
    final AtomicInteger misdirected = new AtomicInteger();
    /** Cleanup runs by {@code member/run id}; a started run turns into {@link #cleanupOutcome}. */
    private final Map<String, OperationState> cleanupRuns = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> cleanupPosts = new ConcurrentHashMap<>();
    private final List<String> cleanupOrder = new CopyOnWriteArrayList<>();
    volatile OperationState cleanupOutcome = OperationState.DONE;
    /** Repair runs by {@code member/run id}; a started run turns into {@link #repairOutcome}. */
    private final Map<String, OperationState> repairRuns = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> repairPosts = new ConcurrentHashMap<>();
    volatile OperationState repairOutcome = OperationState.DONE;
    private volatile boolean available = true;
    private final Map<String, AtomicInteger> failingRuns = new ConcurrentHashMap<>();
    /** What {@code GET /v1/node} reports of a member: NORMAL on a volume that joined unless the test says otherwise. */
    private final Map<String, NodeStatus> nodes = new ConcurrentHashMap<>();
    /** The addresses every agent's gossip holds UP (unless a test set the member's node): the harness's ready members. */
    volatile Supplier<List<String>> liveRing = List::of;
    /** Addresses every agent's gossip holds DOWN although their pods are ready (gossip that has not caught up). */
    final Set<String> notSeenUp = ConcurrentHashMap.newKeySet();
    /** Addresses every agent's ring reports as joining (a node that never joined, not yet forgotten by gossip). */
    final Set<String> joiningInRing = ConcurrentHashMap.newKeySet();
    /** Backup runs by {@code member/run id}; a started run turns into {@link #backupOutcome} (and its message). */
    private final Map<String, BackupReport> backupRuns = new ConcurrentHashMap<>();
    final List<BackupRequest> backupRequests = new CopyOnWriteArrayList<>();
    volatile OperationState backupOutcome = OperationState.DONE;
    volatile String backupFailure;
    /** The manifest key each backup run was asked to store, by {@code member/run id}. */
    private final Map<String, String> manifests = new ConcurrentHashMap<>();

    FakeAgents(Supplier<String> token) throws IOException {
        this.token = token;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            this.port = probe.getLocalPort();
        }
    }

    /** The agent of a member on its pod IP. */
    synchronized void serve(String ip, String member) throws IOException {
        if (servers.containsKey(ip)) {
            return;
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(ip, port), 0);
        server.createContext(AgentApi.DECOMMISSION, exchange -> handle(exchange, member));
        server.createContext(AgentApi.NODE, exchange -> handleNode(exchange, member));
        server.createContext(AgentApi.CLEANUP, exchange -> handleRun(exchange, member, cleanupRuns, cleanupPosts, cleanupOutcome, cleanupOrder));
        server.createContext(AgentApi.REPAIR, exchange -> handleRun(exchange, member, repairRuns, repairPosts, repairOutcome, new ArrayList<>()));
        server.createContext(AgentApi.BACKUP, exchange -> handleBackup(exchange, member));
        server.start();
        servers.put(ip, server);
    }

    /** What the member's agent reports from now on: Cassandra's operation mode and whether its volume ever reached NORMAL. */
    void node(String member, String operationMode, Boolean volumeJoined) {
        nodes.put(member, new NodeStatus(operationMode, "host-" + member, null, List.of(), List.of(), List.of(), List.of(), "1 KiB", volumeJoined));
    }

    private void handleNode(HttpExchange exchange, String member) throws IOException {
        if (refused(exchange, member)) {
            return;
        }
        NodeStatus node = nodes.get(member);
        if (node == null) {
            List<String> live = liveRing.get().stream().filter(a -> !notSeenUp.contains(a)).toList();
            node = new NodeStatus("NORMAL", "host-" + member, null, live, List.copyOf(notSeenUp), List.of(), List.of(), "1 KiB", true);
        }
        answer(exchange, 200, new NodeStatus(node.operationMode(), node.hostId(), node.broadcastAddress(), node.liveNodes(),
                node.unreachableNodes(), List.copyOf(joiningInRing), node.leavingNodes(), node.load(), node.volumeJoined()));
    }

    void available(boolean available) {
        this.available = available;
    }

    /** The member's next {@code runs} decommissions fail at once with this message (a stream that broke, say). */
    void failDecommissionRuns(String member, int runs, String message) {
        failingRuns.put(member, new AtomicInteger(runs));
        failureMessages.put(member, message);
    }

    void finishDecommission(String member, OperationState state, String message) {
        outcomes.put(member, state);
        if (message != null) {
            failureMessages.put(member, message);
        }
        states.computeIfPresent(member, (m, s) -> s == OperationState.RUNNING ? state : s);
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
    Set<String> repairRuns() {
        return Set.copyOf(repairRuns.keySet());
    }

    /** Finishes every running repair run with this state. */
    void finishRepairs(OperationState state) {
        repairRuns.replaceAll((run, current) -> current == OperationState.RUNNING ? state : current);
    }

    int cleanupPosts(String member) {
        return cleanupPosts.computeIfAbsent(member, m -> new AtomicInteger()).get();
    }

    /** The members whose cleanup started, in the order they started. */
    List<String> cleanupOrder() {
        return List.copyOf(cleanupOrder);
    }

    /** Finishes every running cleanup run with this state. */
    void finishCleanups(OperationState state) {
        cleanupRuns.replaceAll((run, current) -> current == OperationState.RUNNING ? state : current);
    }

    /** Makes every running cleanup fail with Cassandra's message. */
    void failCleanups(String message) {
        cleanupRuns.forEach((run, state) -> {
            if (state == OperationState.RUNNING) {
                failureMessages.put(run.substring(0, run.indexOf('/')), message);
                cleanupRuns.put(run, OperationState.FAILED);
            }
        });
    }

    boolean cleanupRunning(String member) {
        return cleanupRuns.entrySet().stream().anyMatch(e -> e.getKey().startsWith(member + "/") && e.getValue() == OperationState.RUNNING);
    }

    int totalPosts() {
        return posts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private void handle(HttpExchange exchange, String member) throws IOException {
        if (refused(exchange, member)) {
            return;
        }
        int code = 200;
        if ("POST".equals(exchange.getRequestMethod())) {
            posts.computeIfAbsent(member, m -> new AtomicInteger()).incrementAndGet();
            OperationState current = states.get(member);
            // As the real agent: a new run starts when none ran or the last one FAILED.
            if (current == null || current == OperationState.FAILED) {
                AtomicInteger failing = failingRuns.get(member);
                states.put(member, failing != null && failing.getAndDecrement() > 0 ? OperationState.FAILED
                        : outcomes.getOrDefault(member, OperationState.RUNNING));
                code = 202;
            }
        } else {
            gets.computeIfAbsent(member, m -> new AtomicInteger()).incrementAndGet();
        }
        OperationState state = states.getOrDefault(member, OperationState.NOT_STARTED);
        answer(exchange, code, new OperationReport(state, state == OperationState.FAILED ? failureMessages.get(member) : null));
    }

    private void handleRun(HttpExchange exchange, String member, Map<String, OperationState> runs, Map<String, AtomicInteger> postCounts,
                           OperationState outcome, List<String> order) throws IOException {
        if (refused(exchange, member)) {
            return;
        }
        String id;
        int code = 200;
        if ("POST".equals(exchange.getRequestMethod())) {
            id = JSON.readValue(exchange.getRequestBody(), RunRequest.class).id();
            postCounts.computeIfAbsent(member, m -> new AtomicInteger()).incrementAndGet();
            if (runs.putIfAbsent(member + "/" + id, outcome) == null) {
                order.add(member);
                code = 202;
            }
        } else {
            String query = exchange.getRequestURI().getRawQuery();
            id = query == null ? "" : URLDecoder.decode(query.replaceFirst("^id=", ""), StandardCharsets.UTF_8);
        }
        OperationState state = runs.getOrDefault(member + "/" + id, OperationState.NOT_STARTED);
        answer(exchange, code, new RunReport(id, state, state == OperationState.FAILED ? failureMessages.get(member) : null,
                null, null, null, null));
    }

    /** Every backup run's report, as {@code member/run id}. */
    Map<String, BackupReport> backupRuns() {
        return Map.copyOf(backupRuns);
    }

    /** Finishes every running backup run with this report's state (files and bytes as the run started with). */
    void finishBackups(OperationState state, String message) {
        backupRuns.replaceAll((run, r) -> r.state() == OperationState.RUNNING
                ? new BackupReport(r.id(), state, message, 2, 1000L, 600L, state == OperationState.DONE ? manifests.get(run) : null) : r);
    }

    /** An agent that restarted: it no longer knows the runs it did not finish. */
    void forgetRunningBackups() {
        backupRuns.values().removeIf(r -> r.state() == OperationState.RUNNING);
    }

    private void handleBackup(HttpExchange exchange, String member) throws IOException {
        if (refused(exchange, member)) {
            return;
        }
        int code = 200;
        String id;
        if ("POST".equals(exchange.getRequestMethod())) {
            BackupRequest request = JSON.readValue(exchange.getRequestBody(), BackupRequest.class);
            backupRequests.add(request);
            id = request.id();
            manifests.put(member + "/" + id, request.manifestKey());
            OperationState outcome = backupOutcome;
            BackupReport report = outcome == OperationState.DONE
                    ? new BackupReport(id, OperationState.RUNNING, null, 2, 1000L, 0L, null)
                    : new BackupReport(id, outcome, backupFailure, null, null, null, null);
            if (backupRuns.putIfAbsent(member + "/" + id, report) == null) {
                code = 202;
            }
        } else {
            String query = exchange.getRequestURI().getRawQuery();
            id = query == null ? "" : URLDecoder.decode(query.replaceFirst("^id=", ""), StandardCharsets.UTF_8);
        }
        answer(exchange, code, backupRuns.getOrDefault(member + "/" + id, BackupReport.notStarted(id)));
    }

    /**
     * Answers for an agent whose Cassandra is not reachable, a call without the token, or one that does not name this
     * agent's member (the operator must name it on every call); true when it did.
     */
    private boolean refused(HttpExchange exchange, String member) throws IOException {
        if (!available) {
            answer(exchange, 503, new AgentError("Cassandra is not reachable over JMX yet"));
            return true;
        }
        if (!("Bearer " + token.get()).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            unauthorized.incrementAndGet();
            answer(exchange, 401, new AgentError("unauthorized"));
            return true;
        }
        String meantFor = exchange.getRequestHeaders().getFirst(AgentApi.MEMBER_HEADER);
        if (meantFor == null || !meantFor.endsWith("/" + member)) {
            misdirected.incrementAndGet();
            answer(exchange, AgentApi.MISDIRECTED, new AgentError("this agent runs member " + member + ", not " + meantFor));
            return true;
        }
        return false;
    }

    private static void answer(HttpExchange exchange, int code, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
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
