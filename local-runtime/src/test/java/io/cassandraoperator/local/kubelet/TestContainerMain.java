package io.cassandraoperator.local.kubelet;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The test image's entrypoint: prints its environment, serves {@code /readyz} on POD_IP:HTTP_PORT (503 while the file
 * named by UNREADY_FILE exists), and behaves as told by its env: EXIT_AFTER_MS exits with code 3, IGNORE_TERM ignores
 * SIGTERM, CHILD starts a child process, so the kubelet's restarts and terminations can be observed; every WRITE_x
 * writes the file it names and every READ_x prints the file it names, each printing what happened ("WRITE WRITE_x ok",
 * "WRITE WRITE_x failed AccessDeniedException ...", "READ READ_x content").
 */
public final class TestContainerMain {
    public static void main(String[] args) throws IOException, InterruptedException {
        Map<String, String> env = new TreeMap<>(System.getenv());
        env.forEach((k, v) -> System.out.println("ENV " + k + "=" + v));
        System.out.println("ARGS " + String.join(" ", args));
        env.forEach((name, path) -> {
            if (name.startsWith("WRITE_")) {
                try {
                    Files.writeString(Path.of(path), "written by the container");
                    System.out.println("WRITE " + name + " ok");
                } catch (IOException e) {
                    System.out.println("WRITE " + name + " failed " + e.getClass().getSimpleName() + " " + e.getMessage());
                }
            } else if (name.startsWith("READ_")) {
                try {
                    System.out.println("READ " + name + " " + Files.readString(Path.of(path)));
                } catch (IOException e) {
                    System.out.println("READ " + name + " failed " + e.getClass().getSimpleName() + " " + e.getMessage());
                }
            }
        });
        if (env.containsKey("CHILD")) {
            Process child = new ProcessBuilder("sleep", "3600").start();
            System.out.println("CHILD " + child.pid());
        }
        if (env.containsKey("HTTP_PORT")) {
            HttpServer server = HttpServer.create(
                    new InetSocketAddress(env.get("POD_IP"), Integer.parseInt(env.get("HTTP_PORT"))), 0);
            server.createContext("/readyz", exchange -> {
                String unready = env.get("UNREADY_FILE");
                int status = unready != null && Files.exists(Path.of(unready)) ? 503 : 200;
                byte[] body = (status == 200 ? "ok" : "not ready").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }
        boolean ignoreTerm = env.containsKey("IGNORE_TERM");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("TERM received");
            System.out.flush();
            if (ignoreTerm) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }));
        System.out.println("STARTED");
        System.out.flush();
        if (env.containsKey("EXIT_AFTER_MS")) {
            Thread.sleep(Long.parseLong(env.get("EXIT_AFTER_MS")));
            System.exit(3);
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
