package io.cassandraoperator.local.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cassandraoperator.local.network.LoopbackAddressPool;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.cassandraoperator.local.apiserver.registry.SystemMetadata;
import io.cassandraoperator.local.apiserver.storage.ObjectStore;
import io.cassandraoperator.local.apiserver.storage.StoredObjectListener;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import io.cassandraoperator.local.apiserver.admission.CustomResourceValidator;
import io.cassandraoperator.local.apiserver.admission.FieldError;
import io.cassandraoperator.local.apiserver.admission.InvalidObjectStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fabric8 CRUD mock's dispatcher, extended with what kubectl and the controllers rely on from a real API server:
 * discovery, {@code Status} bodies on errors, the status subresource of the built-in kinds, strategic merge patch,
 * Service ClusterIPs allocated in the create request, graceful deletion of pods bound to a node, pod logs and
 * validation of custom resources against their CRD's schema and CEL rules.
 * <p>
 * Every read-modify-write holds the {@link ObjectStore}'s write lock.
 */
public final class LocalApiDispatcher extends Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(LocalApiDispatcher.class);
    private static final ObjectMapper JSON = Serialization.jsonMapper();
    private static final String CRDS_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    private static final Pattern LOG_PATH = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/log");
    private static final Pattern OPENAPI_PATH = Pattern.compile("/openapi/v3/(?:api|apis/([^/]+))/([^/]+)");
    private static final Pattern SCALE_PATH = Pattern.compile("/apis/apps/v1/namespaces/[^/]+/(statefulsets|deployments)/[^/]+/scale");
    private static final Pattern GROUP_PATH = Pattern.compile("/apis/([^/]+)");
    private static final Pattern GROUP_VERSION_PATH = Pattern.compile("/apis/([^/]+)/([^/]+)");
    private static final long DEFAULT_POD_GRACE_SECONDS = 30;
    /** Added to every claim, as the API server's StorageObjectInUseProtection admission does. */
    private static final String PVC_PROTECTION = "kubernetes.io/pvc-protection";

    private final ObjectStore store;
    private final ApiDiscovery discovery;
    private final ServiceClusterIps clusterIps;
    private final Map<String, CustomResourceValidator> validators = new ConcurrentHashMap<>();
    private volatile PodLogSource podLogs;

    public LocalApiDispatcher(ObjectStore store, ApiDiscovery discovery, LoopbackAddressPool serviceAddresses) {
        this.store = store;
        this.discovery = discovery;
        this.clusterIps = new ServiceClusterIps(serviceAddresses);
        store.addListener(clusterIps::changed);
    }

    public void setPodLogSource(PodLogSource podLogs) {
        this.podLogs = podLogs;
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
            // kubectl's generators (kubectl create configmap/secret ...) send protobuf; the mock stores JSON only.
            return new ApiError(415, "UnsupportedMediaType", "this local API server accepts JSON only, not "
                    + contentType + "; generate the object and apply it instead, e.g. kubectl create ... "
                    + "--dry-run=client -o yaml | kubectl apply -f -", null, null, List.of()).response();
        }
        try {
            if (SCALE_PATH.matcher(withoutQuery(path)).matches()) {
                return scale(request);
            }
            return switch (request.method()) {
                case GET -> asTableIfAsked(path, request.getHeader("Accept"), get(path));
                case POST -> write(() -> create(path, request.getBody().readUtf8()));
                case PUT -> write(() -> update(path, request.getBody().readUtf8()));
                case PATCH -> write(() -> patch(path, request.getHeader("Content-Type"), request.getBody().readUtf8()));
                case DELETE -> write(() -> delete(path, request.getBody().readUtf8()));
                default -> new ApiError(405, "MethodNotAllowed", "method not allowed", null, null, List.of()).response();
            };
        } catch (ApiError e) {
            return e.response();
        } catch (RuntimeException e) {
            LOG.warn("{} {} failed", request.method(), path, e);
            return new ApiError(500, "InternalError", String.valueOf(e), null, null, List.of()).response();
        }
    }

    // ---- reads

    private MockResponse get(String path) {
        String p = withoutQuery(path);
        Matcher m;
        if (p.equals("/version")) {
            return json(200, discovery.version());
        } else if (p.equals("/api")) {
            return json(200, discovery.coreVersions());
        } else if (p.equals("/apis")) {
            return json(200, discovery.groups(crds()));
        } else if (p.equals("/api/v1")) {
            return json(200, discovery.resources("", "v1", crds()).orElseThrow());
        } else if (p.equals("/openapi/v3")) {
            return json(200, discovery.openApiRoot(crds()));
        } else if ((m = OPENAPI_PATH.matcher(p)).matches()) {
            String group = m.group(1) == null ? "" : m.group(1);
            String version = m.group(2);
            return discovery.openApi(group, version, crds()).map(d -> json(200, d))
                    .orElseGet(() -> ApiError.notFound("openapi", p).response());
        } else if (p.startsWith("/openapi")) {
            return new ApiError(404, "NotFound", "only OpenAPI v3 documents are served", null, null, List.of())
                    .response();
        } else if ((m = GROUP_PATH.matcher(p)).matches()) {
            String group = m.group(1);
            return discovery.group(group, crds()).map(g -> json(200, g))
                    .orElseGet(() -> ApiError.notFound("groups", group).response());
        } else if ((m = GROUP_VERSION_PATH.matcher(p)).matches()) {
            String group = m.group(1);
            String version = m.group(2);
            return discovery.resources(group, version, crds()).map(r -> json(200, r))
                    .orElseGet(() -> ApiError.notFound("groupversions", group + "/" + version).response());
        } else if (isLogPath(p)) {
            return podLog(path);
        }
        MockResponse response = query(path).containsKey("watch") ? getOrWatch(path) : listOrGet(path);
        if (response.code() == 404) {
            Map<String, String> attrs = store.attributes(path);
            return ApiError.notFound(attrs.get(KubernetesAttributesExtractor.PLURAL),
                    attrs.get(KubernetesAttributesExtractor.NAME)).response();
        }
        return response;
    }

    /**
     * The mock matches field selectors on metadata.name and metadata.namespace only (it stores no other field in its
     * keys): any other field requirement, such as kubectl describe's {@code involvedObject.uid=...} on events, is
     * taken out of the query and applied to the listed objects here.
     */
    private MockResponse listOrGet(String path) {
        FieldSelector selector = FieldSelector.parse(query(path).get("fieldSelector"));
        StringBuilder rest = new StringBuilder(withoutQuery(path));
        String separator = "?";
        for (Map.Entry<String, String> param : query(path).entrySet()) {
            String value = param.getKey().equals("fieldSelector") ? selector.forStore() : param.getValue();
            if (!value.isEmpty()) {
                rest.append(separator).append(param.getKey()).append('=')
                        .append(java.net.URLEncoder.encode(value, StandardCharsets.UTF_8));
                separator = "&";
            }
        }
        MockResponse response = getOrWatch(rest.toString());
        if (response.code() != 200) {
            return response;
        }
        JsonNode body = asNode(new String(response.getBody().getBytes(), StandardCharsets.UTF_8));
        if (!body.has("items") || !"List".equals(body.path("kind").asText())) {
            return response;
        }
        ObjectNode list = (ObjectNode) body;
        var items = JSON.createArrayNode();
        list.path("items").forEach(item -> {
            if (selector.selects(item)) {
                items.add(item);
            }
        });
        list.set("items", items);
        // Typed clients (kubectl describe's events) decode a list only when it is called by its kind, e.g. EventList.
        Map<String, String> attrs = store.attributes(path);
        String group = attrs.get(KubernetesAttributesExtractor.API);
        String version = attrs.get(KubernetesAttributesExtractor.VERSION);
        discovery.resources(group == null ? "" : group, version, crds()).flatMap(r -> r.getResources().stream()
                .filter(res -> res.getName().equals(attrs.get(KubernetesAttributesExtractor.PLURAL))).findFirst())
                .ifPresent(res -> {
                    list.put("kind", res.getKind() + "List");
                    list.put("apiVersion", group == null ? version : group + "/" + version);
                });
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                .setBody(list.toString());
    }

    /** kubectl asks for lists and objects as a {@code Table} of columns; other clients get them as they are. */
    private MockResponse asTableIfAsked(String path, String accept, MockResponse response) {
        if (accept == null || !accept.contains("as=Table") || response.code() != 200
                || response.getWebSocketListener() != null || response.getBody() == null) {
            return response;
        }
        JsonNode body = asNode(new String(response.getBody().getBytes(), StandardCharsets.UTF_8));
        String kind = body.path("kind").asText();
        if (kind.equals("Status") || kind.equals("APIResourceList") || kind.startsWith("API")) {
            return response;
        }
        List<JsonNode> objects = new ArrayList<>();
        if (body.has("items")) {
            body.path("items").forEach(objects::add);
        } else {
            objects.add(body);
        }
        return json(200, table(path, objects, body.path("metadata").path("resourceVersion").asText("")));
    }

    private Map<String, Object> table(String path, List<JsonNode> objects, String resourceVersion) {
        Map<String, String> attrs = store.attributes(path);
        String group = attrs.get(KubernetesAttributesExtractor.API);
        String plural = attrs.get(KubernetesAttributesExtractor.PLURAL);
        JsonNode crd = group == null ? null : crds().stream()
                .filter(c -> c.path("spec").path("group").asText().equals(group)
                        && c.path("spec").path("names").path("plural").asText().equals(plural))
                .findFirst().orElse(null);
        return TableView.of(plural, objects, crd, attrs.get(KubernetesAttributesExtractor.VERSION), resourceVersion);
    }

    /**
     * A watch over plain HTTP, as {@code kubectl get -w} asks for it (the mock serves watches over WebSockets only):
     * each change of a matching object is handed to {@code events} as one line of JSON
     * ({@code {"type":"MODIFIED","object":...}}), the objects as tables when kubectl asks for tables. Without a
     * resourceVersion to start from, the matching objects come first as ADDED.
     *
     * @return closes the watch
     */
    AutoCloseable watchOverHttp(String path, String accept, java.util.function.Consumer<String> events) {
        AttributeSet query = store.key(path);
        boolean asTable = accept != null && accept.contains("as=Table");
        String from = query(path).getOrDefault("resourceVersion", "");
        java.util.function.BiFunction<String, String, String> event = (type, json) -> {
            JsonNode object = asNode(json);
            Object shown = asTable ? table(path, List.of(object), object.path("metadata").path("resourceVersion")
                    .asText("")) : object;
            return Serialization.asJson(Map.of("type", type, "object", shown)) + "\n";
        };
        StoredObjectListener listener = (objectPath, before, after) -> {
            boolean was = before != null && store.keyOf(objectPath, before).matches(query);
            boolean is = after != null && store.keyOf(objectPath, after).matches(query);
            if (was || is) {
                events.accept(event.apply(was && is ? "MODIFIED" : was ? "DELETED" : "ADDED", is ? after : before));
            }
        };
        store.read(() -> {
            if (from.isEmpty() || from.equals("0")) {
                for (Map.Entry<AttributeSet, String> entry : store.matching(query)) {
                    events.accept(event.apply("ADDED", entry.getValue()));
                }
            }
            store.addListener(listener);
            return null;
        });
        return () -> store.removeListener(listener);
    }

    /** A log request resolved against the stored pod: whose log, and which kubelet serves it. */
    record LogTarget(PodLogSource source, String namespace, String pod, String container, Integer tailLines) {
    }

    static boolean isLogPath(String path) {
        return LOG_PATH.matcher(withoutQuery(path)).matches();
    }

    /** Resolves {@code pods/{name}/log}: the pod must exist, the container defaults to its only one. */
    LogTarget logTarget(String path) {
        Matcher m = LOG_PATH.matcher(withoutQuery(path));
        if (!m.matches()) {
            throw new ApiError(404, "NotFound", "not a log path: " + path, null, null, List.of());
        }
        String namespace = m.group(1);
        String name = m.group(2);
        Map<String, String> query = query(path);
        JsonNode pod = stored("/api/v1/namespaces/" + namespace + "/pods/" + name);
        if (pod == null) {
            throw ApiError.notFound("pods", name);
        }
        String container = query.get("container");
        if (container == null) {
            JsonNode containers = pod.path("spec").path("containers");
            if (containers.size() != 1) {
                throw new ApiError(400, "BadRequest", "a container name must be specified for pod " + name,
                        "pods", name, List.of());
            }
            container = containers.get(0).path("name").asText();
        }
        PodLogSource source = podLogs;
        if (source == null) {
            throw new ApiError(400, "BadRequest", "no kubelet serves logs", "pods", name, List.of());
        }
        Integer tail = query.containsKey("tailLines") ? Integer.valueOf(query.get("tailLines")) : null;
        return new LogTarget(source, namespace, name, container, tail);
    }

    private MockResponse podLog(String path) {
        LogTarget target = logTarget(path);
        try (InputStream in = target.source().open(target.namespace(), target.pod(), target.container(),
                target.tailLines(), false)) {
            return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/plain")
                    .setBody(in.readAllBytes());
        } catch (NoSuchFileException e) {
            throw new ApiError(400, "BadRequest", "container \"" + target.container() + "\" in pod \""
                    + target.pod() + "\" is waiting to start", "pods", target.pod(), List.of());
        } catch (IOException e) {
            throw new ApiError(500, "InternalError", "reading the log failed: " + e.getMessage(), "pods",
                    target.pod(), List.of());
        }
    }

    /**
     * The {@code scale} subresource of StatefulSets and Deployments ({@code kubectl scale}): an autoscaling/v1 Scale
     * read from the object, and writes that change only its spec.replicas.
     */
    private MockResponse scale(RecordedRequest request) {
        String path = request.getPath();
        String objectPath = withoutQuery(path).replaceFirst("/scale$", "");
        if (request.method() == io.fabric8.mockwebserver.dsl.HttpMethod.GET) {
            return json(200, scaleOf(asNode(existing(objectPath).getValue())));
        }
        String body = request.getBody().readUtf8();
        String type = request.getHeader("Content-Type") == null ? "" : request.getHeader("Content-Type");
        return write(() -> {
            Map.Entry<AttributeSet, String> entry = existing(objectPath);
            JsonNode current = asNode(entry.getValue());
            ObjectNode scale = scaleOf(current);
            JsonNode wanted = switch (request.method()) {
                case PUT -> asNode(body);
                case PATCH -> type.contains("json-patch") ? applyJsonPatch(asNode(body), scale)
                        : MergePatch.json(scale, asNode(body));
                default -> throw new ApiError(405, "MethodNotAllowed", "method not allowed", null, null, List.of());
            };
            checkResourceVersion(current, wanted);
            ObjectNode updated = current.deepCopy();
            updated.with("spec").put("replicas", wanted.path("spec").path("replicas").asInt());
            store(objectPath, entry, current, updated);
            return json(200, scaleOf(asNode(existing(objectPath).getValue())));
        });
    }

    private static ObjectNode scaleOf(JsonNode object) {
        ObjectNode scale = JSON.createObjectNode().put("apiVersion", "autoscaling/v1").put("kind", "Scale");
        scale.putObject("metadata").put("name", object.path("metadata").path("name").asText())
                .put("namespace", object.path("metadata").path("namespace").asText())
                .put("uid", object.path("metadata").path("uid").asText())
                .put("resourceVersion", object.path("metadata").path("resourceVersion").asText());
        scale.putObject("spec").put("replicas", object.path("spec").path("replicas").asInt(1));
        List<String> selector = new ArrayList<>();
        object.path("spec").path("selector").path("matchLabels").fields()
                .forEachRemaining(e -> selector.add(e.getKey() + "=" + e.getValue().asText()));
        scale.putObject("status").put("replicas", object.path("status").path("replicas").asInt(0))
                .put("selector", String.join(",", selector));
        return scale;
    }

    private static JsonNode applyJsonPatch(JsonNode patch, JsonNode target) {
        try {
            return JsonPatch.apply(patch, target);
        } catch (JsonPatchException e) {
            throw ApiError.invalid("the JSON patch does not apply: " + e.getMessage());
        }
    }

    // ---- writes

    private MockResponse create(String path, String body) {
        ObjectNode object = asObject(body);
        if (object.path("kind").asText().isEmpty() || object.path("apiVersion").asText().isEmpty()
                || !object.path("metadata").isObject()) {
            throw ApiError.invalid("kind, apiVersion and metadata are required");
        }
        Map<String, String> attrs = store.attributes(path);
        String plural = attrs.get(KubernetesAttributesExtractor.PLURAL);
        String namespace = attrs.get(KubernetesAttributesExtractor.NAMESPACE);
        ObjectNode metadata = (ObjectNode) object.get("metadata");
        String name = metadata.path("name").asText("");
        if (name.isEmpty()) {
            String prefix = metadata.path("generateName").asText("");
            if (prefix.isEmpty()) {
                throw ApiError.invalid(object.path("kind").asText() + " is invalid: metadata.name: Required value: "
                        + "name or generateName is required");
            }
            name = prefix + randomSuffix();
        }
        String requestedNamespace = metadata.path("namespace").asText("");
        if (!requestedNamespace.isEmpty() && !requestedNamespace.equals(namespace)) {
            throw new ApiError(400, "BadRequest", "the namespace of the object (" + requestedNamespace
                    + ") does not match the namespace on the URL (" + namespace + ")", plural, name, List.of());
        }
        AttributeSet key = store.key(withoutQuery(path)).add(new Attribute(KubernetesAttributesExtractor.NAME, name));
        if (store.find(key) != null) {
            throw new ApiError(409, "AlreadyExists", plural + " \"" + name + "\" already exists", plural, name,
                    List.of());
        }
        metadata.put("name", name);
        if (namespace != null) {
            metadata.put("namespace", namespace);
        }
        // Random uids, as the API server: the mock counts from 1 in every process, which would repeat restored uids.
        metadata.put("uid", UUID.randomUUID().toString());
        metadata.put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        metadata.put("resourceVersion", String.valueOf(store.nextResourceVersion()));
        metadata.put("generation", 1);
        metadata.remove("deletionTimestamp");
        metadata.remove("deletionGracePeriodSeconds");
        if ("persistentvolumeclaims".equals(plural)) {
            addFinalizer(metadata, PVC_PROTECTION);
            object.putObject("status").put("phase", "Pending");
        }
        if ("pods".equals(plural)) {
            object.putObject("status").put("phase", "Pending");
        } else if (store.hasStatusSubresource(path)) {
            object.remove("status");
        }
        ObjectDefaults.apply(plural, object);
        String allocated = "services".equals(plural) ? clusterIps.assign(object) : null;
        try {
            validateCustomResource(path, object, null);
            String json = object.toString();
            store.change(path, key, null, json);
            return new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json").setBody(json);
        } catch (RuntimeException e) {
            clusterIps.release(allocated);
            throw e;
        }
    }

    private static void addFinalizer(ObjectNode metadata, String finalizer) {
        var finalizers = metadata.withArray("finalizers");
        for (JsonNode f : finalizers) {
            if (f.asText().equals(finalizer)) {
                return;
            }
        }
        finalizers.add(finalizer);
    }

    private static String randomSuffix() {
        String alphabet = "bcdfghjklmnpqrstvwxz2456789";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            s.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return s.toString();
    }

    private MockResponse update(String path, String body) {
        Map.Entry<AttributeSet, String> entry = existing(path);
        JsonNode current = asNode(entry.getValue());
        ObjectNode requested = asObject(body);
        checkResourceVersion(current, requested);
        return store(path, entry, current, applyToObjectOrStatus(path, current, requested));
    }

    private MockResponse patch(String path, String contentType, String body) {
        Map.Entry<AttributeSet, String> entry = existing(path);
        JsonNode current = asNode(entry.getValue());
        JsonNode patch = asNode(body);
        String type = contentType == null ? "" : contentType;
        JsonNode patched;
        if (type.contains("json-patch")) {
            try {
                patched = JsonPatch.apply(patch, current);
            } catch (JsonPatchException e) {
                throw ApiError.invalid("the JSON patch does not apply: " + e.getMessage());
            }
        } else if (type.contains("strategic-merge-patch")) {
            patched = MergePatch.strategic(current, patch);
        } else if (type.contains("merge-patch")) {
            patched = MergePatch.json(current, patch);
        } else {
            throw new ApiError(415, "UnsupportedMediaType", "the patch type " + type + " is not supported "
                    + "(this API server has no server-side apply)", null, null, List.of());
        }
        if (!patched.isObject()) {
            throw ApiError.invalid("a patch must leave an object");
        }
        checkResourceVersion(current, patched);
        return store(path, entry, current, applyToObjectOrStatus(path, current, (ObjectNode) patched));
    }

    /** A write to {@code /status} changes only the status; a write to the object leaves a subresource status alone. */
    private ObjectNode applyToObjectOrStatus(String path, JsonNode current, ObjectNode requested) {
        String plural = store.attributes(path).get(KubernetesAttributesExtractor.PLURAL);
        if (withoutQuery(path).endsWith("/status")) {
            ObjectNode result = current.deepCopy();
            setOrRemove(result, "status", requested.get("status"));
            return result;
        }
        if (ApiDiscovery.STATUS_SUBRESOURCE.contains(plural) || store.hasStatusSubresource(path)) {
            setOrRemove(requested, "status", current.get("status"));
        }
        if ("services".equals(plural)) {
            ServiceClusterIps.keep(current, requested);
        }
        return requested;
    }

    private MockResponse store(String path, Map.Entry<AttributeSet, String> entry, JsonNode current, ObjectNode updated) {
        if (!updated.path("metadata").isObject()) {
            throw ApiError.invalid("metadata is required");
        }
        String pathName = store.attributes(path).get(KubernetesAttributesExtractor.NAME);
        String name = updated.path("metadata").path("name").asText();
        if (!name.isEmpty() && !name.equals(pathName)) {
            throw new ApiError(400, "BadRequest", "the name of the object (" + name
                    + ") does not match the name on the URL (" + pathName + ")", null, pathName, List.of());
        }
        boolean statusWrite = withoutQuery(path).endsWith("/status");
        SystemMetadata.preserve(current, updated);
        ObjectNode metadata = (ObjectNode) updated.get("metadata");
        metadata.put("name", pathName);
        for (String field : List.of("deletionTimestamp", "deletionGracePeriodSeconds")) {
            setOrRemove(metadata, field, current.path("metadata").get(field));
        }
        if (!statusWrite) {
            ObjectDefaults.apply(store.attributes(path).get(KubernetesAttributesExtractor.PLURAL), updated);
            // Validation prunes unknown fields first, as the API server does, so they never bump the generation.
            validateCustomResource(path, updated, current);
            SystemMetadata.touchGeneration(current, updated);
        }
        SystemMetadata.touchResourceVersion(current, updated, store::nextResourceVersion);
        String json = updated.toString();
        if (isMarkedForDeletion(updated) && updated.path("metadata").path("finalizers").isEmpty()
                && updated.path("metadata").path("deletionGracePeriodSeconds").asLong(0) <= 0) {
            store.change(path, store.key(path), entry.getKey(), null);
        } else {
            store.change(path, store.key(path), entry.getKey(), json);
        }
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(json);
    }

    private MockResponse delete(String path, String body) {
        Map<String, String> attrs = store.attributes(path);
        String name = attrs.get(KubernetesAttributesExtractor.NAME);
        String plural = attrs.get(KubernetesAttributesExtractor.PLURAL);
        List<Map.Entry<AttributeSet, String>> matches = store.matching(store.key(path));
        if (name != null && matches.isEmpty()) {
            throw ApiError.notFound(plural, name);
        }
        JsonNode options = body == null || body.isBlank() ? JSON.createObjectNode() : asNode(body);
        Map<String, String> query = query(path);
        Long grace = query.containsKey("gracePeriodSeconds") ? Long.valueOf(query.get("gracePeriodSeconds"))
                : options.has("gracePeriodSeconds") && !options.get("gracePeriodSeconds").isNull()
                ? options.get("gracePeriodSeconds").asLong() : null;
        String uidPrecondition = options.path("preconditions").path("uid").asText(null);
        String last = null;
        for (Map.Entry<AttributeSet, String> entry : matches) {
            ObjectNode object = asObject(entry.getValue());
            if (uidPrecondition != null && !uidPrecondition.equals(object.path("metadata").path("uid").asText())) {
                throw new ApiError(409, "Conflict", "Precondition failed: UID in precondition: " + uidPrecondition
                        + ", UID in object meta: " + object.path("metadata").path("uid").asText(), plural,
                        object.path("metadata").path("name").asText(), List.of());
            }
            last = deleteOne(path, entry, object, "pods".equals(plural) ? podGrace(object, grace) : 0);
        }
        if (name == null) {
            return json(200, Map.of("kind", "Status", "apiVersion", "v1", "status", "Success"));
        }
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(last);
    }

    /**
     * As the API server: a pod bound to a node is only marked (the kubelet stops it and deletes it again with grace
     * 0); an object with finalizers is marked and removed when its last finalizer goes; anything else goes at once.
     */
    private String deleteOne(String path, Map.Entry<AttributeSet, String> entry, ObjectNode object, long grace) {
        ObjectNode metadata = (ObjectNode) object.get("metadata");
        boolean finalizers = !metadata.path("finalizers").isEmpty();
        if (grace <= 0 && !finalizers) {
            store.change(path, entry.getKey(), entry.getKey(), null);
            return object.toString();
        }
        if (metadata.hasNonNull("deletionTimestamp")) {
            long currentGrace = metadata.path("deletionGracePeriodSeconds").asLong(0);
            if (grace >= currentGrace) {
                return object.toString();
            }
        }
        metadata.put("deletionTimestamp", Instant.now().plusSeconds(grace).truncatedTo(ChronoUnit.SECONDS).toString());
        metadata.put("deletionGracePeriodSeconds", grace);
        metadata.put("resourceVersion", String.valueOf(store.nextResourceVersion()));
        String json = object.toString();
        store.change(path, entry.getKey(), entry.getKey(), json);
        return json;
    }

    /** A pod that never reached a node, or has finished, has no process to stop and goes at once. */
    private static long podGrace(JsonNode pod, Long requested) {
        String phase = pod.path("status").path("phase").asText();
        if (pod.path("spec").path("nodeName").asText().isEmpty() || phase.equals("Succeeded") || phase.equals("Failed")) {
            return 0;
        }
        if (requested != null) {
            return Math.max(0, requested);
        }
        return pod.path("spec").path("terminationGracePeriodSeconds").asLong(DEFAULT_POD_GRACE_SECONDS);
    }

    // ---- custom resource validation

    private void validateCustomResource(String path, ObjectNode object, JsonNode old) {
        Map<String, String> attrs = store.attributes(path);
        String group = attrs.get(KubernetesAttributesExtractor.API);
        String version = attrs.get(KubernetesAttributesExtractor.VERSION);
        String plural = attrs.get(KubernetesAttributesExtractor.PLURAL);
        if (group == null || plural == null) {
            return;
        }
        for (JsonNode crd : crds()) {
            JsonNode spec = crd.path("spec");
            if (spec.path("group").asText().equals(group) && spec.path("names").path("plural").asText().equals(plural)) {
                String cacheKey = crd.path("metadata").path("uid").asText() + "/"
                        + crd.path("metadata").path("resourceVersion").asText() + "/" + version;
                CustomResourceValidator validator = validators.computeIfAbsent(cacheKey,
                        k -> CustomResourceValidator.forCrdVersion(crd, version));
                if (validator == null) {
                    return;
                }
                boolean strict = "Strict".equals(query(path).get("fieldValidation"));
                if (!strict) {
                    validator.pruneUnknownFields(object);
                }
                List<FieldError> errors = validator.validate(object, old, strict);
                if (!errors.isEmpty()) {
                    throw new ApiError(InvalidObjectStatus.of(spec.path("names").path("kind").asText(), group,
                            object.path("metadata").path("name").asText(), errors));
                }
                return;
            }
        }
    }

    // ---- helpers

    private Map.Entry<AttributeSet, String> existing(String path) {
        Map.Entry<AttributeSet, String> entry = store.find(store.key(path));
        if (entry == null) {
            Map<String, String> attrs = store.attributes(path);
            throw ApiError.notFound(attrs.get(KubernetesAttributesExtractor.PLURAL),
                    attrs.get(KubernetesAttributesExtractor.NAME));
        }
        return entry;
    }

    private JsonNode stored(String path) {
        Map.Entry<AttributeSet, String> found = store.find(store.key(path));
        return found == null ? null : asNode(found.getValue());
    }

    private List<JsonNode> crds() {
        return store.crds().stream().map(LocalApiDispatcher::asNode).toList();
    }

    private void checkResourceVersion(JsonNode current, JsonNode requested) {
        String wanted = requested.path("metadata").path("resourceVersion").asText("");
        if (!wanted.isEmpty() && !wanted.equals(current.path("metadata").path("resourceVersion").asText())) {
            String kind = current.path("kind").asText();
            String name = current.path("metadata").path("name").asText();
            throw new ApiError(409, "Conflict", "Operation cannot be fulfilled on " + kind + " \"" + name
                    + "\": the object has been modified; please apply your changes to the latest version and try again",
                    kind, name, List.of());
        }
    }

    private static boolean isMarkedForDeletion(JsonNode object) {
        return object.path("metadata").hasNonNull("deletionTimestamp");
    }


    private MockResponse write(Supplier<MockResponse> action) {
        return store.write(action);
    }

    /** A watch when the query asks for one as the mock reads it ({@code watch=true}), else a get or list. */
    private MockResponse getOrWatch(String path) {
        String query;
        try {
            query = new URI(path).getQuery();
        } catch (URISyntaxException e) {
            query = null;
        }
        return query != null && query.contains("watch=true") ? store.watch(path) : store.get(path);
    }

    private static String withoutQuery(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    private static Map<String, String> query(String path) {
        Map<String, String> params = new HashMap<>();
        int q = path.indexOf('?');
        if (q >= 0) {
            for (String pair : path.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.put(k, v);
            }
        }
        return params;
    }

    private static ObjectNode asObject(String body) {
        JsonNode node = asNode(body);
        if (!node.isObject()) {
            throw ApiError.invalid("the body must be an object");
        }
        return (ObjectNode) node;
    }

    private static JsonNode asNode(String body) {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiError(400, "BadRequest", "the body is not JSON: " + e.getOriginalMessage(), null, null,
                    List.of());
        }
    }

    private static void setOrRemove(ObjectNode node, String field, JsonNode value) {
        if (value == null || value.isMissingNode()) {
            node.remove(field);
        } else {
            node.set(field, value.deepCopy());
        }
    }

    private static MockResponse json(int code, Object body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                .setBody(Serialization.asJson(body));
    }
}
