package io.cassandraoperator.local.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cassandraoperator.local.apiserver.ApiDiscovery;
import io.cassandraoperator.local.apiserver.ApiError;
import io.cassandraoperator.local.apiserver.JsonBodies;
import io.cassandraoperator.local.apiserver.MergePatch;
import io.cassandraoperator.local.apiserver.QueryParameters;
import io.cassandraoperator.local.apiserver.storage.ObjectStore;
import io.cassandraoperator.local.network.LoopbackAddressPool;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static io.cassandraoperator.local.apiserver.RequestPath.withoutQuery;

/**
 * The generic writes of every kind, as kube-apiserver's generic registry store: create, update and patch with
 * optimistic concurrency, the server's metadata and the status subresource, each kind's own rules taken from its
 * {@link ResourceStrategy}, and deletion through {@link GracefulDeletion}. Each write holds the store's write lock.
 */
public final class ObjectRegistry {
    private final ObjectStore store;
    private final ResourceStrategies strategies;
    private final GracefulDeletion deletion;

    public ObjectRegistry(ObjectStore store, LoopbackAddressPool serviceAddresses) {
        ServiceClusterIps clusterIps = new ServiceClusterIps(serviceAddresses);
        store.addListener(clusterIps::changed);
        this.store = store;
        this.strategies = new ResourceStrategies(store, clusterIps);
        this.deletion = new GracefulDeletion(store, strategies);
    }

    public MockResponse create(String path, String body) {
        return store.write(() -> createLocked(path, body));
    }

    public MockResponse update(String path, String body) {
        return store.write(() -> {
            Map.Entry<AttributeSet, String> entry = existing(path);
            JsonNode current = JsonBodies.parse(entry.getValue());
            ObjectNode requested = JsonBodies.object(body);
            checkResourceVersion(current, requested);
            return replace(path, entry, current, requested);
        });
    }

    public MockResponse patch(String path, String contentType, String body) {
        return store.write(() -> {
            Map.Entry<AttributeSet, String> entry = existing(path);
            JsonNode current = JsonBodies.parse(entry.getValue());
            JsonNode patch = JsonBodies.parse(body);
            String type = contentType == null ? "" : contentType;
            JsonNode patched;
            if (type.contains("json-patch")) {
                patched = jsonPatch(patch, current);
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
            return replace(path, entry, current, (ObjectNode) patched);
        });
    }

    public MockResponse delete(String path, String body) {
        return store.write(() -> deletion.delete(path, body));
    }

    private MockResponse createLocked(String path, String body) {
        ObjectNode object = JsonBodies.object(body);
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
        SystemMetadata.fillOnCreate(metadata, store.nextResourceVersion());
        ResourceStrategy strategy = strategies.forPath(path);
        strategy.prepareForCreate(object);
        strategy.applyDefaults(object);
        Runnable release = strategy.allocate(object);
        try {
            strategy.validate(object, null, strictFields(path));
            String json = object.toString();
            store.change(path, key, null, json);
            return JsonBodies.response(201, json);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    /** Stores {@code updated} over {@code current}: what an update, a patch and a scale end in. */
    MockResponse replace(String path, Map.Entry<AttributeSet, String> entry, JsonNode current,
            ObjectNode requested) {
        ResourceStrategy strategy = strategies.forPath(path);
        String plural = store.attributes(path).get(KubernetesAttributesExtractor.PLURAL);
        boolean statusWrite = StatusSubresource.isStatusWrite(path);
        ObjectNode updated = StatusSubresource.apply(path,
                ApiDiscovery.STATUS_SUBRESOURCE.contains(plural) || strategy.hasStatusSubresource(), current, requested);
        if (!statusWrite) {
            strategy.prepareForUpdate(current, updated);
        }
        if (!updated.path("metadata").isObject()) {
            throw ApiError.invalid("metadata is required");
        }
        String pathName = store.attributes(path).get(KubernetesAttributesExtractor.NAME);
        String name = updated.path("metadata").path("name").asText();
        if (!name.isEmpty() && !name.equals(pathName)) {
            throw new ApiError(400, "BadRequest", "the name of the object (" + name
                    + ") does not match the name on the URL (" + pathName + ")", null, pathName, List.of());
        }
        SystemMetadata.preserve(current, updated);
        ((ObjectNode) updated.get("metadata")).put("name", pathName);
        if (!statusWrite) {
            strategy.applyDefaults(updated);
            // Validation prunes unknown fields first, as the API server does, so they never bump the generation.
            strategy.validate(updated, current, strictFields(path));
            SystemMetadata.touchGeneration(current, updated);
        }
        SystemMetadata.touchResourceVersion(current, updated, store::nextResourceVersion);
        String json = updated.toString();
        JsonNode metadata = updated.path("metadata");
        if (metadata.hasNonNull("deletionTimestamp") && metadata.path("finalizers").isEmpty()
                && metadata.path("deletionGracePeriodSeconds").asLong(0) <= 0) {
            store.change(path, store.key(path), entry.getKey(), null);
        } else {
            store.change(path, store.key(path), entry.getKey(), json);
        }
        return JsonBodies.response(200, json);
    }

    Map.Entry<AttributeSet, String> existing(String path) {
        Map.Entry<AttributeSet, String> entry = store.find(store.key(path));
        if (entry == null) {
            Map<String, String> attrs = store.attributes(path);
            throw ApiError.notFound(attrs.get(KubernetesAttributesExtractor.PLURAL),
                    attrs.get(KubernetesAttributesExtractor.NAME));
        }
        return entry;
    }

    /** Optimistic concurrency: a write naming a resourceVersion applies to that version only. */
    static void checkResourceVersion(JsonNode current, JsonNode requested) {
        String wanted = requested.path("metadata").path("resourceVersion").asText("");
        if (!wanted.isEmpty() && !wanted.equals(current.path("metadata").path("resourceVersion").asText())) {
            String kind = current.path("kind").asText();
            String name = current.path("metadata").path("name").asText();
            throw new ApiError(409, "Conflict", "Operation cannot be fulfilled on " + kind + " \"" + name
                    + "\": the object has been modified; please apply your changes to the latest version and try again",
                    kind, name, List.of());
        }
    }

    static JsonNode jsonPatch(JsonNode patch, JsonNode target) {
        try {
            return JsonPatch.apply(patch, target);
        } catch (JsonPatchException e) {
            throw ApiError.invalid("the JSON patch does not apply: " + e.getMessage());
        }
    }

    private static boolean strictFields(String path) {
        return "Strict".equals(QueryParameters.of(path).get("fieldValidation"));
    }

    private static String randomSuffix() {
        String alphabet = "bcdfghjklmnpqrstvwxz2456789";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            s.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
