package io.cassandraoperator.agent;

import io.cassandraoperator.agent.cassandra.CassandraCommandLine;
import io.cassandraoperator.agent.config.AgentSettings;
import io.cassandraoperator.api.Contract;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** One agent started from the image layout as a real process, the way the local runtime's kubelet starts it. */
final class AgentProcess {
    static final String TOKEN = "it-token";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String podName;
    final String podIp;
    final int port;
    final Path dataDir;
    final Path log;
    private final Process process;
    /** Every Cassandra seen as this agent's child: killed by PID in {@link #stop} even if the agent died first. */
    private final Set<ProcessHandle> seenCassandras = ConcurrentHashMap.newKeySet();

    private AgentProcess(String podName, String podIp, int port, Path dataDir, Path log, Process process) {
        this.podName = podName;
        this.podIp = podIp;
        this.port = port;
        this.dataDir = dataDir;
        this.log = log;
        this.process = process;
    }

    static AgentProcess start(Path image, String podName, String podIp, int port, Path membersDir, Path userDir,
                              Path dataDir, Path log) throws IOException {
        return start(image, podName, podIp, port, membersDir, userDir, dataDir, log, Map.of());
    }

    /** {@code overrides} replace the pod's or the image's environment variables. */
    static AgentProcess start(Path image, String podName, String podIp, int port, Path membersDir, Path userDir,
                              Path dataDir, Path log, Map<String, String> overrides) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put(Contract.Env.POD_NAME, podName);
        env.put(Contract.Env.POD_IP, podIp);
        env.put(Contract.Env.CLUSTER_NAME, "agent-it");
        env.put(Contract.Env.DATACENTER, "dc1");
        env.put(Contract.Env.RACK, "rack1");
        env.put(Contract.Env.MEMBERS_DIR, membersDir.toString());
        env.put(Contract.Env.USER_CONFIG_DIR, userDir.toString());
        env.put(Contract.Env.DATA_DIR, dataDir.toString());
        env.put(Contract.Env.MAX_HEAP, "512M");
        env.put(Contract.Env.AGENT_TOKEN, TOKEN);
        env.put(AgentSettings.CASSANDRA_CLASSPATH, image.resolve("cassandra").resolve(cassandraVersion()) + "/*");
        env.put(AgentSettings.CASSANDRA_EXTRA_JVM_OPTS,
                "-Dcassandra.ring_delay_ms=3000 -Dcassandra.skip_wait_for_gossip_to_settle=0");
        env.put(AgentSettings.AGENT_PORT, Integer.toString(port));
        env.put(AgentSettings.CASSANDRA_STOP_GRACE_SECONDS, "30");
        env.putAll(overrides);
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", image.resolve("agent") + "/*", AgentMain.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(env);
        return new AgentProcess(podName, podIp, port, dataDir, log, builder.start());
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Optional<Integer> exitCode() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    /** Cassandra, the agent's child process, if it runs. */
    Optional<ProcessHandle> cassandra() {
        Optional<ProcessHandle> cassandra = process.children()
                .filter(child -> child.info().arguments().map(List::of).orElse(List.of())
                        .contains(CassandraCommandLine.MAIN_CLASS))
                .findFirst();
        cassandra.ifPresent(seenCassandras::add);
        return cassandra;
    }

    /** The JMX port the agent picked, as anyone on the machine can read it from Cassandra's command line. */
    int jmxPort() {
        String[] arguments = cassandra().orElseThrow().info().arguments().orElseThrow();
        for (String argument : arguments) {
            if (argument.startsWith("-Dcassandra.jmx.local.port=")) {
                return Integer.parseInt(argument.substring(argument.indexOf('=') + 1));
            }
        }
        throw new IllegalStateException("no JMX port on Cassandra's command line");
    }

    HttpResponse<String> get(String path, boolean withToken) throws IOException, InterruptedException {
        return send("GET", path, withToken);
    }

    HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return send("POST", path, true, null);
    }

    HttpResponse<String> post(String path, String jsonBody) throws IOException, InterruptedException {
        return send("POST", path, true, jsonBody);
    }

    private HttpResponse<String> send(String method, String path, boolean withToken)
            throws IOException, InterruptedException {
        return send(method, path, withToken, null);
    }

    private HttpResponse<String> send(String method, String path, boolean withToken, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + podIp + ":" + port + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (withToken) {
            request.header("Authorization", "Bearer " + TOKEN);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** SIGTERM, as the kubelet sends it. */
    void terminate() {
        process.destroy();
    }

    /** SIGKILL of the agent and its Cassandra, by PID, as when the machine under a pod dies. */
    void kill() {
        Set<ProcessHandle> victims = new HashSet<>(seenCassandras);
        cassandra().ifPresent(victims::add);
        process.descendants().forEach(victims::add);
        process.destroyForcibly();
        victims.forEach(ProcessHandle::destroyForcibly);
        process.onExit().join();
        victims.forEach(victim -> victim.onExit().join());
    }

    /** Stops the agent and everything it started, by PID: SIGTERM, a grace period, then SIGKILL. */
    void stop(Duration grace) throws InterruptedException {
        cassandra();
        Set<ProcessHandle> descendants = new HashSet<>(seenCassandras);
        process.descendants().forEach(descendants::add);
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle descendant : descendants) {
            if (descendant.isAlive()) {
                descendant.destroyForcibly();
                descendant.onExit().join();
            }
        }
    }

    /** A port free on every one of these addresses, so agents on distinct pod IPs share one port as pods do. */
    static int freePortOn(String... addresses) throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            int candidate;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(addresses[0]))) {
                candidate = socket.getLocalPort();
            }
            if (freeOn(candidate, addresses)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no port free on all of " + List.of(addresses));
    }

    private static boolean freeOn(int port, String... addresses) {
        for (String address : addresses) {
            try {
                new ServerSocket(port, 1, InetAddress.getByName(address)).close();
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /** The Cassandra version the ITs run: the newest the image offers, as the build passes it. */
    static String cassandraVersion() {
        return System.getProperty("agent.cassandra.version", "5.0.8");
    }
}
