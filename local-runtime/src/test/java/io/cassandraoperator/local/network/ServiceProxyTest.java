package io.cassandraoperator.local.network;

import io.cassandraoperator.local.ControlPlane;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ServiceProxyTest {
    @TempDir
    static Path stateDir;
    static ControlPlane plane;
    static KubernetesClient client;
    static final ExecutorService servers = Executors.newCachedThreadPool();

    @BeforeAll
    static void start() {
        plane = ControlPlane.start(stateDir, 0);
        client = plane.newClient();
    }

    @AfterAll
    static void stop() {
        servers.shutdownNow();
        client.close();
        plane.close();
    }

    @Test
    void forwardsToTheReadyPodAndFollowsItToItsNewAddress() throws Exception {
        try (ServerSocket first = echoServer("127.0.1.50", "A:"); ServerSocket second = echoServer("127.0.1.51", "B:")) {
            Service service = client.services().resource(new ServiceBuilder().withNewMetadata().withName("echo")
                    .endMetadata().withNewSpec().withSelector(java.util.Map.of("app", "echo"))
                    .addNewPort().withName("echo").withPort(7777).withTargetPort(new IntOrString("echo")).endPort()
                    .endSpec().build()).create();
            String clusterIp = service.getSpec().getClusterIP();
            assertThat(clusterIp).startsWith("127.0.2.");

            startPod("echo-a", "127.0.1.50", first.getLocalPort());
            await().ignoreExceptions().until(() -> roundTrip(clusterIp, 7777, "hello").equals("A:hello"));
            await().untilAsserted(() -> assertThat(client.endpoints().withName("echo").get().getSubsets())
                    .singleElement().satisfies(subset -> {
                        assertThat(subset.getAddresses()).extracting(a -> a.getIp()).containsExactly("127.0.1.50");
                        assertThat(subset.getPorts()).extracting(p -> p.getPort()).containsExactly(first.getLocalPort());
                    }));

            byte[] large = new byte[8 * 1024 * 1024];
            new Random(1).nextBytes(large);
            assertThat(rawRoundTrip(clusterIp, 7777, large)).isEqualTo(large);

            client.pods().withName("echo-a").withGracePeriod(0).delete();
            startPod("echo-b", "127.0.1.51", second.getLocalPort());
            await().ignoreExceptions().until(() -> roundTrip(clusterIp, 7777, "again").equals("B:again"));

            client.services().withName("echo").delete();
            await().until(() -> !canConnect(clusterIp, 7777));
        }
    }

    @Test
    void noReadyPodMeansTheConnectionIsClosed() throws Exception {
        Service service = client.services().resource(new ServiceBuilder().withNewMetadata().withName("empty")
                .endMetadata().withNewSpec().withSelector(java.util.Map.of("app", "nothing"))
                .addNewPort().withPort(7778).endPort().endSpec().build()).create();
        await().until(() -> canConnect(service.getSpec().getClusterIP(), 7778));
        assertThatThrownBy(() -> roundTrip(service.getSpec().getClusterIP(), 7778, "x")).isInstanceOf(IOException.class);
    }

    @Test
    void publishNotReadyAddressesReachesPodsBeforeTheyAreReady() throws Exception {
        try (ServerSocket member = echoServer("127.0.1.52", "M:")) {
            Service service = client.services().resource(new ServiceBuilder().withNewMetadata().withName("member")
                    .endMetadata().withNewSpec().withSelector(java.util.Map.of("app", "member"))
                    .withPublishNotReadyAddresses(true).addNewPort().withPort(7000)
                    .withTargetPort(new IntOrString(member.getLocalPort())).endPort().endSpec().build()).create();
            client.pods().resource(new PodBuilder().withNewMetadata().withName("member-0").addToLabels("app", "member")
                    .endMetadata().withNewSpec().withNodeName("node-2").addNewContainer().withName("c")
                    .withImage("x:1").endContainer().endSpec().build()).create();
            client.pods().withName("member-0").subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"status\":{\"phase\":\"Running\",\"podIP\":\"127.0.1.52\",\"conditions\":"
                            + "[{\"type\":\"Ready\",\"status\":\"False\"}]}}");
            await().ignoreExceptions().until(() -> roundTrip(service.getSpec().getClusterIP(), 7000, "gossip")
                    .equals("M:gossip"));
        }
    }

    private static void startPod(String name, String ip, int port) {
        client.pods().resource(new PodBuilder().withNewMetadata().withName(name).addToLabels("app", "echo")
                .endMetadata().withNewSpec().withNodeName("node-1").addNewContainer().withName("c").withImage("x:1")
                .addNewPort().withName("echo").withContainerPort(port).endPort().endContainer().endSpec().build())
                .create();
        client.pods().withName(name).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"status\":{\"phase\":\"Running\",\"podIP\":\"" + ip + "\",\"conditions\":"
                        + "[{\"type\":\"Ready\",\"status\":\"True\"}]}}");
    }

    private static ServerSocket echoServer(String address, String prefix) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName(address));
        servers.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    servers.execute(() -> echo(s, prefix));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server;
    }

    /** Lines get the prefix; a connection that starts with a zero byte is echoed raw. */
    private static void echo(Socket s, String prefix) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            int first = in.read();
            if (first == 0) {
                in.transferTo(out);
                return;
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line = (char) first + reader.readLine();
            out.write((prefix + line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
            // the client went away
        }
    }

    private static String roundTrip(String ip, int port, String text) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), 2000);
            s.setSoTimeout(5000);
            s.getOutputStream().write((text + "\n").getBytes(StandardCharsets.UTF_8));
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            if (line == null) {
                throw new IOException("connection closed without an answer");
            }
            return line;
        }
    }

    private static byte[] rawRoundTrip(String ip, int port, byte[] payload) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), 2000);
            s.setSoTimeout(10000);
            var writer = servers.submit(() -> {
                OutputStream out = s.getOutputStream();
                out.write(0);
                out.write(payload);
                s.shutdownOutput();
                return null;
            });
            byte[] back = s.getInputStream().readAllBytes();
            writer.get();
            return Arrays.copyOf(back, back.length);
        }
    }

    private static boolean canConnect(String ip, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
