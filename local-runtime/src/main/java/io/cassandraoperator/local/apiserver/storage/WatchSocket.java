package io.cassandraoperator.local.apiserver.storage;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * One watch over a WebSocket: the {@code WatchEvent}s the store sends it, sent in order on a thread of its own so that a
 * slow client never holds up a write.
 */
final class WatchSocket extends WebSocketListener implements WatchReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(WatchSocket.class);

    private final Consumer<WatchSocket> onOpen;
    private final Consumer<WatchSocket> onEnd;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "watch-socket");
        t.setDaemon(true);
        return t;
    });
    private volatile WebSocket socket;

    /**
     * @param onOpen starts the watch, once the socket is open
     * @param onEnd stops it
     */
    WatchSocket(Consumer<WatchSocket> onOpen, Consumer<WatchSocket> onEnd) {
        this.onOpen = onOpen;
        this.onEnd = onEnd;
    }

    @Override
    public void end() {
        sender.execute(() -> socket.close(1000, "watch ended"));
    }

    @Override
    public void send(String type, String json) {
        String event = Serialization.asJson(new WatchEvent(Serialization.unmarshal(json,
                GenericKubernetesResource.class), type));
        sender.execute(() -> socket.send(event));
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
        socket = webSocket;
        onOpen.accept(this);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
        webSocket.close(code, reason);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
        stop();
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
        LOG.debug("a watch failed: {}", t.toString());
        webSocket.close(1000, t.getMessage());
        stop();
    }

    private void stop() {
        onEnd.accept(this);
        sender.shutdown();
    }
}
