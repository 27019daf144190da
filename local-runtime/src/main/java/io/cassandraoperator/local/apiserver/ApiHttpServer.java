package io.cassandraoperator.local.apiserver;

import io.cassandraoperator.local.apiserver.auth.AccessReviews;
import io.cassandraoperator.local.apiserver.auth.RulesReviews;
import io.cassandraoperator.local.apiserver.auth.ApiAccess;
import io.cassandraoperator.local.apiserver.auth.RequestAttributes;
import io.cassandraoperator.local.apiserver.auth.ServingCertificates;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.vertx.HttpServerRequestHandler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.PemKeyCertOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The HTTP side of the local API server: a Vert.x server handing each request to the {@link ApiRouter}
 * through the mock's own request handler (so watches upgrade to WebSockets as fabric8 clients expect), except what
 * the mock's handler cannot answer because it answers with whole bodies only: {@code pods/{name}/log?follow=true}
 * ({@code kubectl logs -f}) and watches over plain HTTP ({@code kubectl get -w}), which it streams as the API server
 * does, and {@code pods/{name}/exec} ({@code kubectl exec}), which it serves over a WebSocket ({@link ExecStream}).
 * <p>
 * Every request first passes {@link ApiAccess} (401 without a token this runtime issued, 403 when RBAC does not allow
 * it); a {@code SelfSubjectAccessReview} is then answered here, for the user the request authenticated as.
 */
final class ApiHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHttpServer.class);
    /** The subprotocols kubectl and client-go offer for WebSocket upgrades (v5, and v4 before it, for exec). */
    private static final List<String> WEBSOCKET_SUBPROTOCOLS = List.of("v5.channel.k8s.io", "v4.channel.k8s.io",
            "v3.channel.k8s.io", "v2.channel.k8s.io", "v1.channel.k8s.io");

    private final Vertx vertx = Vertx.vertx();
    private final ApiRouter router;
    private final HttpWatch watches;
    private final PodLogs logs;
    private final PodExec exec;
    private final ApiAccess access;
    private final AccessReviews reviews;
    private final RulesReviews rulesReviews;
    private HttpServer server;

    ApiHttpServer(ApiRouter router, HttpWatch watches, PodLogs logs, PodExec exec, ApiAccess access) {
        this.router = router;
        this.watches = watches;
        this.logs = logs;
        this.exec = exec;
        this.access = access;
        this.reviews = new AccessReviews(access.authorizer());
        this.rulesReviews = new RulesReviews(access.authorizer());
    }

    /** @return the port it listens on */
    int start(String host, int port, ServingCertificates tls) {
        HttpServerRequestHandler mock = new HttpServerRequestHandler(vertx) {
            @Override
            protected MockResponse onHttpRequest(RecordedRequest request) {
                return router.dispatch(request);
            }
        };
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port)
                .setWebSocketSubProtocols(WEBSOCKET_SUBPROTOCOLS).setHandle100ContinueAutomatically(true)
                .setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                        .setCertValue(Buffer.buffer(tls.certificatePem() + tls.caPem()))
                        .setKeyValue(Buffer.buffer(tls.keyPem())));
        server = vertx.createHttpServer(options).requestHandler(request -> {
            RequestAttributes admitted;
            try {
                admitted = access.admit(request.method().name(), request.uri(), name -> request.headers().getAll(name));
            } catch (ApiError e) {
                respond(request.response(), e.response());
                return;
            }
            if (request.method() == HttpMethod.POST
                    && AccessReviews.SELF_SUBJECT_ACCESS_REVIEWS.equals(RequestPath.withoutQuery(request.uri()))) {
                answerReview(request, body -> reviews.review(admitted.user(), request.getHeader("Content-Type"), body));
                return;
            }
            if (request.method() == HttpMethod.POST
                    && RulesReviews.SELF_SUBJECT_RULES_REVIEWS.equals(RequestPath.withoutQuery(request.uri()))) {
                answerReview(request, body -> rulesReviews.review(admitted.user(), body));
                return;
            }
            if (PodExec.isExecPath(request.path())) {
                execute(request);
                return;
            }
            QueryParameters query = validQuery(request);
            if (request.method() == HttpMethod.GET && query != null && query.flag("follow")
                    && PodLogs.isLogPath(request.path())) {
                streamLog(request);
            } else if (request.method() == HttpMethod.GET && query != null && query.flag("watch")
                    && !"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
                streamWatch(request);
            } else {
                mock.handle(request);
            }
        });
        return server.listen().toCompletionStage().toCompletableFuture().join().actualPort();
    }

    private void streamLog(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        PodLogs.LogTarget target;
        try {
            target = logs.target(request.uri());
        } catch (ApiError e) {
            respond(response, e.response());
            return;
        }
        response.setChunked(true).putHeader("Content-Type", "text/plain");
        // Clients wait for the headers before reading: send them before the first line exists.
        response.writeHead();
        AtomicReference<InputStream> stream = new AtomicReference<>();
        response.closeHandler(v -> closeQuietly(stream.get()));
        Thread pump = new Thread(() -> {
            try (InputStream in = target.source().open(target.namespace(), target.pod(), target.container(),
                    target.tailLines(), true)) {
                stream.set(in);
                byte[] buffer = new byte[8192];
                int n;
                while (!response.closed() && (n = in.read(buffer)) >= 0) {
                    response.write(Buffer.buffer(Arrays.copyOf(buffer, n)));
                }
                if (!response.closed()) {
                    response.end();
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("following the log of {}/{} ended: {}", target.namespace(), target.pod(), e.toString());
                if (!response.closed()) {
                    response.end();
                }
            }
        }, "log-follow-" + target.pod());
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * {@code kubectl exec}: refused with a Status before the upgrade when the request is wrong, then served over the
     * WebSocket. kubectl (1.30 and later) speaks WebSocket first and falls back to SPDY only when the upgrade fails;
     * SPDY is not spoken here, and a request without the upgrade is told so.
     */
    private void execute(HttpServerRequest request) {
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            respond(request.response(), new ApiError(400, "BadRequest", "pods/exec is served over WebSocket"
                    + " (v5.channel.k8s.io or v4.channel.k8s.io) only; this request asked for "
                    + Objects.requireNonNullElse(request.getHeader("Upgrade"), "no upgrade"), "pods", null,
                    List.of()).response());
            return;
        }
        PodExec.ExecTarget target;
        try {
            target = exec.target(request.uri());
        } catch (ApiError e) {
            respond(request.response(), e.response());
            return;
        }
        request.toWebSocket().onSuccess(socket -> ExecStream.serve(socket, target))
                .onFailure(e -> LOG.info("exec in {}/{}: the WebSocket upgrade failed: {}", target.namespace(),
                        target.pod(), e.toString()));
    }

    /** An access or rules review: answered from the request body, never stored (201 with the review and its status). */
    private void answerReview(HttpServerRequest request, Function<byte[], Object> review) {
        request.body().onSuccess(body -> {
            MockResponse answer;
            try {
                answer = JsonBodies.response(201, review.apply(body.getBytes()));
            } catch (ApiError e) {
                answer = e.response();
            }
            respond(request.response(), answer);
        });
    }

    private static void respond(HttpServerResponse response, MockResponse answer) {
        response.setStatusCode(answer.code()).putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(answer.getBody().getBytes()));
    }

    /** The request's query, or null when a parameter does not parse: the router then refuses it. */
    private static QueryParameters validQuery(HttpServerRequest request) {
        QueryParameters query = QueryParameters.of(request.uri());
        try {
            query.validate();
            return query;
        } catch (ApiError e) {
            return null;
        }
    }

    private void streamWatch(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        Runnable end = () -> {
            if (!response.closed() && !response.ended()) {
                response.end();
            }
        };
        response.setChunked(true).putHeader("Content-Type", "application/json");
        response.writeHead();
        AtomicReference<Runnable> stopper = new AtomicReference<>(() -> { });
        Runnable stop = () -> stopper.get().run();
        // before the watch starts: a watch from a too old version ends at once
        response.closeHandler(v -> stop.run());
        stopper.set(watches.start(request.uri(), request.getHeader("Accept"), line -> {
            if (!response.closed()) {
                response.write(line);
            }
        }, end));
        Long timeout = QueryParameters.of(request.uri()).integer("timeoutSeconds");
        // 0 (or less) sets no timeout, as with the API server, which then applies its own
        if (timeout != null && timeout > 0) {
            vertx.setTimer(timeout * 1000, id -> {
                stop.run();
                end.run();
            });
        }
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // the follower is gone either way
            }
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().join();
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
