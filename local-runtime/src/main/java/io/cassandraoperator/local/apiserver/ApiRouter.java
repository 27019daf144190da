package io.cassandraoperator.local.apiserver;

import io.cassandraoperator.local.apiserver.registry.ObjectRegistry;
import io.cassandraoperator.local.apiserver.registry.ScaleSubresource;
import io.cassandraoperator.local.apiserver.storage.ObjectStore;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.cassandraoperator.local.apiserver.RequestPath.withoutQuery;

/**
 * Routes each request of the local API server: discovery and OpenAPI to {@link ApiDiscovery}, the caller's rules to
 * {@link io.cassandraoperator.local.apiserver.auth.RulesReviews} (in ApiHttpServer, which knows the user), pod logs to
 * {@link PodLogs}, the scale subresource to {@link ScaleSubresource}, reads of objects to {@link ObjectReads} and
 * writes to the {@link ObjectRegistry}; refusals come back as {@code Status} bodies, as kubectl expects.
 */
public final class ApiRouter extends Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ApiRouter.class);
    private static final Pattern OPENAPI_PATH = Pattern.compile("/openapi/v3/(?:api|apis/([^/]+))/([^/]+)");
    private static final Pattern GROUP_PATH = Pattern.compile("/apis/([^/]+)");
    private static final Pattern GROUP_VERSION_PATH = Pattern.compile("/apis/([^/]+)/([^/]+)");

    private final ObjectStore store;
    private final ApiDiscovery discovery;
    private final OpenApiDocuments openApi;
    private final ObjectReads reads;
    private final ObjectRegistry registry;
    private final ScaleSubresource scale;
    private final PodLogs logs;

    ApiRouter(ObjectStore store, ApiDiscovery discovery, ObjectReads reads, ObjectRegistry registry, PodLogs logs) {
        this.store = store;
        this.discovery = discovery;
        this.openApi = new OpenApiDocuments(discovery);
        this.reads = reads;
        this.registry = registry;
        this.scale = new ScaleSubresource(store, registry);
        this.logs = logs;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        MockResponse response = route(request);
        // client-go decodes a body without a content type as protobuf, its typed clients' default.
        if (response.getWebSocketListener() == null && response.header("Content-Type") == null) {
            response.setHeader("Content-Type", "application/json");
        }
        return response;
    }

    private MockResponse route(RecordedRequest request) {
        String path = request.getPath();
        String contentType = request.getHeader("Content-Type");
        if (contentType != null && contentType.contains("protobuf")) {
            // kubectl's generators (kubectl create configmap/secret ...) send protobuf; the store keeps JSON only.
            return new ApiError(415, "UnsupportedMediaType", "this local API server accepts JSON only, not "
                    + contentType + "; generate the object and apply it instead, e.g. kubectl create ... "
                    + "--dry-run=client -o yaml | kubectl apply -f -", null, null, List.of()).response();
        }
        try {
            QueryParameters.of(path).validate();
            if (ScaleSubresource.isScalePath(path)) {
                return switch (request.method()) {
                    case GET -> scale.get(path);
                    default -> scale.write(path, request.method(), contentType, request.getBody().readUtf8());
                };
            }
            return switch (request.method()) {
                case GET -> reads.asTableIfAsked(path, request.getHeader("Accept"),
                        get(path, request.getHeader("Accept")));
                case POST -> registry.create(path, request.getBody().readUtf8());
                case PUT -> registry.update(path, request.getBody().readUtf8());
                case PATCH -> registry.patch(path, contentType, request.getBody().readUtf8());
                case DELETE -> registry.delete(path, request.getBody().readUtf8());
                default -> new ApiError(405, "MethodNotAllowed", "method not allowed", null, null, List.of()).response();
            };
        } catch (ApiError e) {
            return e.response();
        } catch (RuntimeException e) {
            LOG.warn("{} {} failed", request.method(), path, e);
            return new ApiError(500, "InternalError", String.valueOf(e), null, null, List.of()).response();
        }
    }

    private MockResponse get(String path, String accept) {
        String p = withoutQuery(path);
        Matcher m;
        if (p.equals("/version")) {
            return JsonBodies.response(200, discovery.version());
        } else if (p.equals("/api")) {
            return JsonBodies.response(200, discovery.coreVersions());
        } else if (p.equals("/apis")) {
            return JsonBodies.response(200, discovery.groups(store.crds()));
        } else if (p.equals("/api/v1")) {
            return JsonBodies.response(200, discovery.resources("", "v1", store.crds()).orElseThrow());
        } else if (p.equals("/openapi/v2")) {
            if (accept != null && !accept.contains("json") && !accept.contains("*/*")) {
                // client-go asks for protobuf; it then uses the JSON v3 documents
                return new ApiError(406, "NotAcceptable", "the OpenAPI v2 document is served as JSON only", null,
                        null, List.of()).response();
            }
            return JsonBodies.response(200, openApi.v2(store.crds()));
        } else if (p.equals("/openapi/v3")) {
            return JsonBodies.response(200, openApi.v3Index(store.crds()));
        } else if ((m = OPENAPI_PATH.matcher(p)).matches()) {
            String group = m.group(1) == null ? "" : m.group(1);
            String version = m.group(2);
            return openApi.v3(group, version, store.crds()).map(d -> JsonBodies.response(200, d))
                    .orElseGet(() -> ApiError.notFound("openapi", p).response());
        } else if ((m = GROUP_PATH.matcher(p)).matches()) {
            String group = m.group(1);
            return discovery.group(group, store.crds()).map(g -> JsonBodies.response(200, g))
                    .orElseGet(() -> ApiError.notFound("groups", group).response());
        } else if ((m = GROUP_VERSION_PATH.matcher(p)).matches()) {
            String group = m.group(1);
            String version = m.group(2);
            return discovery.resources(group, version, store.crds()).map(r -> JsonBodies.response(200, r))
                    .orElseGet(() -> ApiError.notFound("groupversions", group + "/" + version).response());
        } else if (PodLogs.isLogPath(p)) {
            return logs.get(path);
        }
        return reads.get(path);
    }
}
