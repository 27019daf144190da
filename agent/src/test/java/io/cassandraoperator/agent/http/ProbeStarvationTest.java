package io.cassandraoperator.agent.http;

import io.cassandraoperator.agent.cassandra.FakeCassandraNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** #17 rule 12: stalled clients and slow operation calls never make a probe wait. */
class ProbeStarvationTest {
    private static final Duration PROBE_BUDGET = Duration.ofSeconds(1);

    private final FakeCassandraNode node = new FakeCassandraNode();
    private final List<Socket> stalled = new ArrayList<>();
    private ServerSocket cqlPort;
    private AgentApiOnFakeNode agent;
    private AgentHttpApi api;

    @BeforeEach
    void start(@TempDir Path dataDir) throws IOException {
        agent = AgentApiOnFakeNode.start(node, dataDir);
        api = agent.api();
        cqlPort = agent.cqlPort();
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : stalled) {
            socket.close();
        }
        agent.close();
    }

    @Test
    void probesAnswerWithinASecondWhileManyConnectionsStall() throws Exception {
        warmUp();
        // Half of them send nothing, half send part of a request: REQUEST_THREADS / 2 threads held.
        for (int i = 0; i < AgentHttpApi.REQUEST_THREADS; i++) {
            Socket socket = new Socket();
            socket.connect(api.address(), 10_000);
            if (i % 2 == 0) {
                // Half a request, then nothing: the JDK's server holds a thread reading it.
                socket.getOutputStream().write("GET /readyz HTTP/1.1\r\nHost: agent\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            }
            stalled.add(socket);
        }

        assertThat(probe("/healthz")).startsWith("HTTP/1.1 200");
        assertThat(probe("/readyz")).startsWith("HTTP/1.1 200");
    }

    @Test
    void aRequestThatIsNotCompleteInTimeIsCutOff() throws Exception {
        Socket slow = connect();
        stalled.add(slow);
        OutputStream out = slow.getOutputStream();
        out.write("GET /healthz HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        slow.setSoTimeout((int) Duration.ofSeconds(AgentHttpApi.REQUEST_SECONDS + 5).toMillis());
        long started = System.nanoTime();

        int read;
        try {
            read = slow.getInputStream().read();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept a stalled request open for more than "
                    + (AgentHttpApi.REQUEST_SECONDS + 5) + " s", e);
        } catch (IOException reset) {
            read = -1;
        }

        assertThat(read).as("closed without an answer").isEqualTo(-1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(AgentHttpApi.REQUEST_SECONDS + 3));
    }

    @Test
    void operationCallsStuckInJmxDoNotHoldUpProbes() throws Exception {
        warmUp();
        node.holdStatus = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(2 * AgentHttpApi.OPERATION_THREADS);
        try {
            for (int i = 0; i < 2 * AgentHttpApi.OPERATION_THREADS; i++) {
                callers.submit(() -> {
                    try (Socket socket = connect()) {
                        socket.getOutputStream().write(("GET /v1/node HTTP/1.1\r\nHost: agent\r\nAuthorization: Bearer s3cret\r\n"
                                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        return socket.getInputStream().readAllBytes().length;
                    }
                });
            }
            Thread.sleep(500);

            assertThat(probe("/healthz")).startsWith("HTTP/1.1 200");
        } finally {
            node.holdStatus.countDown();
            callers.shutdownNow();
        }
    }

    /** The first answers load the JSON writers' classes, which on a loaded machine takes longer than a probe may. */
    private void warmUp() throws IOException {
        for (String path : List.of("/healthz", "/readyz")) {
            try (Socket socket = connect()) {
                socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: agent\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                socket.getInputStream().readAllBytes();
            }
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(api.address(), 1000);
        return socket;
    }

    /** A probe as the kubelet sends it; fails unless the whole answer arrives within the budget. */
    private String probe(String path) throws IOException {
        long started = System.nanoTime();
        try (Socket socket = connect()) {
            socket.setSoTimeout((int) PROBE_BUDGET.toMillis());
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: agent\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(PROBE_BUDGET);
            return answer;
        }
    }
}
