package io.cassandraoperator.local.apiserver;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One {@code kubectl exec} over a WebSocket, in the channel protocol of {@code v4.channel.k8s.io} and
 * {@code v5.channel.k8s.io} (k8s.io/apimachinery {@code pkg/util/httpstream/wsstream}, KEP-3396): every binary message
 * starts with its channel (0 stdin, 1 stdout, 2 stderr, 3 the error channel, 4 terminal resizes), and v5 adds 255, by
 * which the client half-closes a channel (its stdin). The command's end goes to the error channel as a Status, which
 * client-go turns into kubectl's exit code; then the connection closes. A client that goes away ends the command.
 */
final class ExecStream {
    private static final Logger LOG = LoggerFactory.getLogger(ExecStream.class);
    static final byte STDIN = 0;
    static final byte STDOUT = 1;
    static final byte STDERR = 2;
    static final byte ERROR = 3;
    static final byte CLOSE = (byte) 255;

    private final ServerWebSocket socket;
    private final PodExec.ExecTarget target;
    /** Writes to the command's stdin off the event loop, in the order the messages came. */
    private final ExecutorService stdinWriter;

    private ExecStream(ServerWebSocket socket, PodExec.ExecTarget target) {
        this.socket = socket;
        this.target = target;
        this.stdinWriter = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, "exec-stdin-" + target.pod()));
    }

    /** Runs the target's command and streams it over the socket until the command ends or the client leaves. */
    static void serve(ServerWebSocket socket, PodExec.ExecTarget target) {
        new ExecStream(socket, target).run();
    }

    private void run() {
        Process process;
        try {
            process = target.source().start(target.namespace(), target.pod(), target.container(), target.command(),
                    target.stdin());
        } catch (IOException | IllegalStateException | IllegalArgumentException e) {
            LOG.info("exec in {}/{} container {} refused: {}", target.namespace(), target.pod(), target.container(),
                    e.getMessage());
            finish(new StatusBuilder().withStatus("Failure").withCode(500).withReason("InternalError")
                    .withMessage("Internal error occurred: error executing command in container " + target.container()
                            + ": " + e.getMessage())
                    .withNewMetadata().endMetadata().build());
            return;
        }
        LOG.info("exec in {}/{} container {}: {} (pid {})", target.namespace(), target.pod(), target.container(),
                String.join(" ", target.command()), process.pid());
        socket.closeHandler(v -> {
            if (process.isAlive()) {
                LOG.info("exec in {}/{}: the client left, stopping pid {}", target.namespace(), target.pod(),
                        process.pid());
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        });
        socket.binaryMessageHandler(message -> fromClient(message, process.getOutputStream()));
        Thread out = pump(process.getInputStream(), target.stdout() ? STDOUT : null);
        Thread err = pump(process.getErrorStream(), target.stderr() ? STDERR : null);
        daemon(() -> {
            try {
                int code = process.waitFor();
                out.join();
                err.join();
                finish(exitStatus(code));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "exec-wait-" + target.pod()).start();
    }

    /** stdin's bytes go to the command; v5's close of channel 0 closes its stdin, so that it sees the end. */
    private void fromClient(Buffer message, OutputStream stdin) {
        if (message.length() == 0) {
            return;
        }
        byte channel = message.getByte(0);
        if (channel == STDIN && target.stdin()) {
            byte[] bytes = message.getBytes(1, message.length());
            stdinWriter.execute(() -> {
                try {
                    stdin.write(bytes);
                    stdin.flush();
                } catch (IOException e) {
                    LOG.debug("exec in {}: stdin is closed: {}", target.pod(), e.toString());
                }
            });
        } else if (channel == CLOSE && message.length() > 1 && message.getByte(1) == STDIN) {
            stdinWriter.execute(() -> {
                try {
                    stdin.close();
                } catch (IOException e) {
                    LOG.debug("exec in {}: closing stdin: {}", target.pod(), e.toString());
                }
            });
        }
    }

    /** Copies a stream of the command to its channel (or drops it, when the client did not ask for it). */
    private Thread pump(InputStream in, Byte channel) {
        Thread thread = daemon(() -> {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (channel != null && n > 0 && !socket.isClosed()) {
                        socket.writeBinaryMessage(frame(channel, Arrays.copyOf(buffer, n)));
                    }
                }
            } catch (IOException e) {
                LOG.debug("exec in {}: stream ended: {}", target.pod(), e.toString());
            }
        }, "exec-" + (channel == null ? "drop" : channel) + "-" + target.pod());
        thread.start();
        return thread;
    }

    private void finish(Status status) {
        stdinWriter.shutdown();
        if (!socket.isClosed()) {
            socket.writeBinaryMessage(frame(ERROR, Serialization.asJson(status).getBytes(StandardCharsets.UTF_8)));
            socket.close();
        }
    }

    /** As the kubelet reports an exec's end: Success, or NonZeroExitCode with the code as the ExitCode cause. */
    static Status exitStatus(int code) {
        if (code == 0) {
            return new StatusBuilder().withStatus("Success").withNewMetadata().endMetadata().build();
        }
        return new StatusBuilder().withStatus("Failure").withReason("NonZeroExitCode")
                .withMessage("command terminated with non-zero exit code: exit status " + code)
                .withNewMetadata().endMetadata()
                .withNewDetails().withCauses(List.of(new StatusCauseBuilder().withReason("ExitCode")
                        .withMessage(Integer.toString(code)).build())).endDetails()
                .build();
    }

    private static Buffer frame(byte channel, byte[] payload) {
        return Buffer.buffer(payload.length + 1).appendByte(channel).appendBytes(payload);
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
