package io.cassandraoperator.local.cli;

import io.cassandraoperator.api.Contract;
import io.cassandraoperator.local.kubelet.ImageCatalog;
import io.cassandraoperator.local.kubelet.LocalImage;
import io.cassandraoperator.local.kubelet.RecordedProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The baseline for the end-to-end tests' "up to Ready" time: the same three members (same agent, same Cassandra, same
 * settings) started bare, one after the other, each on its own loopback address with no API, operator, kubelet or
 * proxy. The difference is what the local runtime costs.
 */
class BareStartBaselineTest {
    private static final List<String> ADDRESSES = List.of("127.0.5.1", "127.0.5.2", "127.0.5.3");
    private final List<Process> processes = new ArrayList<>();

    @TempDir
    Path dir;

    @Test
    void threeMembersStartedBareInSequence() throws Exception {
        LocalImage image = new ImageCatalog().registerBundledCassandra(CliProcess.PROJECT).resolve("bare:5.0.6").image();
        assertThat(image).as("the agent image is built").isNotNull();
        Path members = Files.createDirectories(dir.resolve("members"));
        Files.writeString(members.resolve(Contract.MembersConfig.SEEDS), ADDRESSES.get(0));
        long started = System.nanoTime();
        for (int i = 0; i < ADDRESSES.size(); i++) {
            String name = "bare-" + i;
            String address = ADDRESSES.get(i);
            Files.writeString(members.resolve(name), address);
            Map<String, String> env = new HashMap<>(image.env());
            env.put(Contract.Env.POD_NAME, name);
            env.put(Contract.Env.POD_NAMESPACE, "default");
            env.put(Contract.Env.POD_IP, address);
            env.put(Contract.Env.CLUSTER_NAME, "bare");
            env.put(Contract.Env.DATACENTER, "dc1");
            env.put(Contract.Env.RACK, "rack1");
            env.put(Contract.Env.MEMBERS_DIR, members.toString());
            env.put(Contract.Env.USER_CONFIG_DIR, Files.createDirectories(dir.resolve("user")).toString());
            env.put(Contract.Env.DATA_DIR, Files.createDirectories(dir.resolve(name)).toString());
            env.put(Contract.Env.MAX_HEAP, "512M");
            env.put(Contract.Env.AGENT_TOKEN, "baseline");
            ProcessBuilder builder = new ProcessBuilder(image.entrypoint()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(name + ".log").toFile());
            builder.environment().clear();
            builder.environment().putAll(env);
            processes.add(builder.start());
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                    .until(() -> ready(address));
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        System.out.printf("MEASURED bare: 3 members started in sequence, all ready in %d s%n", seconds);
        assertThat(processes).allMatch(Process::isAlive);
    }

    private static boolean ready(String address) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + address + ":"
                            + Contract.Ports.AGENT + Contract.AgentApi.READINESS)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>();
        for (Process process : processes) {
            all.add(process.toHandle());
            process.descendants().forEach(all::add);
            process.destroy();
        }
        for (Process process : processes) {
            process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        all.stream().filter(ProcessHandle::isAlive).forEach(RecordedProcess::killTree);
        assertThat(all).noneMatch(ProcessHandle::isAlive);
    }
}
