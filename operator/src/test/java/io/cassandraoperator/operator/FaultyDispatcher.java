package io.cassandraoperator.operator;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Preconditions;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The mock's dispatcher with faults a real API server shows, while {@link #enabled}: every 3rd write answered 500
 * without being applied, every 5th update or patch answered 409 (a stale resourceVersion) without being applied, every 7th applied and then answered 500 (the
 * client cannot tell it happened), every 4th watch refused with 500, and every accepted watch closed by the server
 * after a short while. Always, as a real API server: a delete whose uid or resourceVersion precondition fails is
 * refused with 409.
 */
final class FaultyDispatcher extends KubernetesMixedDispatcher {
    volatile boolean enabled;
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger watches = new AtomicInteger();
    final AtomicInteger injected = new AtomicInteger();
    final AtomicInteger closedWatches = new AtomicInteger();
    private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor();

    FaultyDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses) {
        super(responses);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        MockResponse refused = "DELETE".equals(request.getMethod()) ? preconditionFailure(request) : null;
        if (refused != null) {
            return refused;
        }
        if (!enabled) {
            return super.dispatch(request);
        }
        String path = request.getPath() == null ? "" : request.getPath();
        if ("GET".equals(request.getMethod()) && path.contains("watch=true")) {
            if (watches.incrementAndGet() % 4 == 0) {
                return fault(500, "injected: watch refused");
            }
            MockResponse response = super.dispatch(request);
            WebSocketListener listener = response.getWebSocketListener();
            return listener == null ? response : response.withWebSocketUpgrade(new ClosingListener(listener));
        }
        if ("GET".equals(request.getMethod()) || path.contains("/events")) {
            return super.dispatch(request);
        }
        int write = writes.incrementAndGet();
        if (write % 3 == 0) {
            return fault(500, "injected: internal error, not applied");
        }
        // A real server answers 409 to a create only when the object exists: conflicts are injected into updates.
        if (write % 5 == 0 && !"POST".equals(request.getMethod())) {
            return fault(409, "injected: conflict, not applied");
        }
        MockResponse response = super.dispatch(request);
        if (write % 7 == 0 && response.code() < 300) {
            return fault(500, "injected: internal error after the write was applied");
        }
        return response;
    }

    /**
     * The CRUD mock ignores a delete's body; a real API server refuses a delete whose DeleteOptions preconditions (uid,
     * resourceVersion) do not match the object, with 409 and its message. Checked here, always, not only while faults
     * are enabled.
     */
    private MockResponse preconditionFailure(RecordedRequest request) {
        // Read without consuming: the server records the same request for the tests.
        String body = request.getBody() == null ? null : new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
        if (body == null || body.isBlank()) {
            return null;
        }
        Preconditions preconditions = Serialization.unmarshal(body, DeleteOptions.class).getPreconditions();
        if (preconditions == null) {
            return null;
        }
        String path = request.getPath().split("\\?")[0];
        MockResponse current = super.dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.GET, path, Headers.builder().build(), new Buffer()));
        if (current.code() != 200) {
            return null;
        }
        ObjectMeta meta = Serialization.unmarshal(new String(current.getBody().getBytes(), StandardCharsets.UTF_8),
                GenericKubernetesResource.class).getMetadata();
        String failed = preconditions.getUid() != null && !preconditions.getUid().equals(meta.getUid())
                ? "UID in precondition: " + preconditions.getUid() + ", UID in object meta: " + meta.getUid()
                : preconditions.getResourceVersion() != null && !preconditions.getResourceVersion().equals(meta.getResourceVersion())
                ? "ResourceVersion in precondition: " + preconditions.getResourceVersion() + ", ResourceVersion in object meta: "
                        + meta.getResourceVersion()
                : null;
        String[] segments = path.split("/");
        return failed == null ? null : fault(409, "Operation cannot be fulfilled on " + segments[segments.length - 2] + " \\\"" + meta.getName()
                + "\\\": Precondition failed: " + failed);
    }

    private MockResponse fault(int code, String message) {
        injected.incrementAndGet();
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"" + message
                        + "\",\"reason\":\"" + (code == 409 ? "Conflict" : "InternalError") + "\",\"code\":" + code + "}");
    }

    @Override
    public void shutdown() {
        closer.shutdownNow();
        super.shutdown();
    }

    /** Passes everything through and closes the watch from the server's side after a while. */
    private final class ClosingListener extends WebSocketListener {
        private final WebSocketListener delegate;

        ClosingListener(WebSocketListener delegate) {
            this.delegate = delegate;
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            // The server's events and the injected close go through one lock: a close written in the middle of an
            // event's frame corrupts it, which a real API server never does (the client then fails the informer).
            WebSocket serialized = new SerializedWebSocket(webSocket);
            delegate.onOpen(serialized, response);
            closer.schedule(() -> {
                closedWatches.incrementAndGet();
                serialized.close(1000, "injected: watch dropped");
            }, 300 + (closedWatches.get() % 5) * 200L, TimeUnit.MILLISECONDS);
        }

        @Override
        public void onBeforeAccept(WebSocket webSocket, Response response) {
            delegate.onBeforeAccept(webSocket, response);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            delegate.onMessage(webSocket, text);
        }

        @Override
        public void onMessage(WebSocket webSocket, byte[] bytes) {
            delegate.onMessage(webSocket, bytes);
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            delegate.onClosing(webSocket, code, reason);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            delegate.onClosed(webSocket, code, reason);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable error, Response response) {
            delegate.onFailure(webSocket, error, response);
        }
    }

    /** A WebSocket whose sends and close never interleave. */
    private record SerializedWebSocket(WebSocket webSocket) implements WebSocket {
        @Override
        public RecordedRequest request() {
            return webSocket.request();
        }

        @Override
        public synchronized boolean send(String text) {
            return webSocket.send(text);
        }

        @Override
        public synchronized boolean send(byte[] bytes) {
            return webSocket.send(bytes);
        }

        @Override
        public synchronized boolean close(int code, String reason) {
            return webSocket.close(code, reason);
        }
    }
}
