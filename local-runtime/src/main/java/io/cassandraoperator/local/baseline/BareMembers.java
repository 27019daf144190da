package io.cassandraoperator.local.baseline;

import io.cassandraoperator.api.Contract;
import io.cassandraoperator.local.kubelet.ImageCatalog;
import io.cassandraoperator.local.kubelet.LocalImage;
import io.cassandraoperator.local.kubelet.RecordedProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Members started bare: the image the local runtime runs for the bundled Cassandra (same agent, same Cassandra, same
 * JVM options, the heap the operator gives a 2Gi memory limit), each on its own loopback address with a data directory
 * of its own, and no API, operator, kubelet or proxy. Stopped by PID: SIGTERM, a grace period, then the whole tree.
 * The baseline of the bring-up benchmark and of {@code BareStartBaselineSystemTest}.
 */
public final class BareMembers implements AutoCloseable {
    /** The operator's heap for examples/cluster.yaml's 2Gi limit (a quarter of it). */
    private static final String MAX_HEAP = "512M";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path dir;
    private final LocalImage image;
    private final Path members;
    private final List<Process> processes = new ArrayList<>();

    /**
     * @param project the project's root, whose agent/target/image holds the member image
     * @param seed    the seeds every member is given (the first member's address)
     */
    public BareMembers(Path project, Path dir, String seed) throws IOException {
        this.dir = dir;
        this.image = new ImageCatalog().registerBundledCassandra(project).resolve("bare:" + ImageCatalog.BUNDLED_CASSANDRA_VERSION).image();
        if (image == null) {
            throw new IllegalStateException("the agent image is not built under " + project.resolve("agent/target/image"));
        }
        this.members = Files.createDirectories(dir.resolve("members"));
        Files.writeString(members.resolve(Contract.MembersConfig.SEEDS), seed);
    }

    /** Starts a member and returns once its agent reports it ready (Cassandra NORMAL). */
    public void startAndAwaitReady(String name, String address, Duration timeout) throws IOException, InterruptedException {
        Process process = start(name, address, "bare");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!agentReady(address)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log(name));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready within " + timeout + "; see " + log(name));
            }
            Thread.sleep(100);
        }
    }

    /**
     * Starts a member of the named cluster (in plaintext, without authentication) and returns at once; for a node
     * that tries to join a cluster it does not belong to.
     */
    public Process start(String name, String address, String clusterName) throws IOException {
        Files.writeString(members.resolve(name), address);
        Map<String, String> env = new HashMap<>(image.env());
        env.put(Contract.Env.POD_NAME, name);
        env.put(Contract.Env.POD_NAMESPACE, "default");
        env.put(Contract.Env.POD_IP, address);
        env.put(Contract.Env.CLUSTER_NAME, clusterName);
        env.put(Contract.Env.DATACENTER, "dc1");
        env.put(Contract.Env.RACK, "rack1");
        env.put(Contract.Env.MEMBERS_DIR, members.toString());
        env.put(Contract.Env.USER_CONFIG_DIR, Files.createDirectories(dir.resolve("user")).toString());
        env.put(Contract.Env.DATA_DIR, Files.createDirectories(dir.resolve("volumes").resolve(name)).toString());
        env.put(Contract.Env.MAX_HEAP, MAX_HEAP);
        env.put(Contract.Env.AGENT_TOKEN, "bare");
        ProcessBuilder builder = new ProcessBuilder(image.entrypoint()).redirectErrorStream(true)
                .redirectOutput(log(name).toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    /** The member's output: its agent's and its Cassandra's log lines. */
    public Path log(String name) {
        return dir.resolve(name + ".log");
    }

    /** Whether the agent on that address answers its readiness endpoint with 200 (Cassandra NORMAL). */
    public static boolean agentReady(String address) throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address + ":" + Contract.Ports.AGENT
                            + Contract.AgentApi.READINESS)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** The members' processes and their descendants (Cassandra), as they are now. */
    public List<ProcessHandle> processTrees() {
        List<ProcessHandle> all = new ArrayList<>();
        for (Process process : processes) {
            all.add(process.toHandle());
            process.descendants().forEach(all::add);
        }
        return all;
    }

    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> all = processTrees();
        processes.forEach(Process::destroy);
        for (Process process : processes) {
            process.waitFor(60, TimeUnit.SECONDS);
        }
        all.stream().filter(ProcessHandle::isAlive).forEach(RecordedProcess::killTree);
    }
}
