package io.cassandraoperator.local.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cassandraoperator.local.apiserver.ApiError;
import io.cassandraoperator.local.apiserver.JsonBodies;
import io.cassandraoperator.local.apiserver.MergePatch;
import io.cassandraoperator.local.apiserver.storage.ObjectStore;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.cassandraoperator.local.apiserver.RequestPath.withoutQuery;

/**
 * The {@code scale} subresource of StatefulSets and Deployments ({@code kubectl scale}): an autoscaling/v1 Scale read
 * from the object, and writes that change only its spec.replicas.
 */
public final class ScaleSubresource {
    private static final Pattern SCALE_PATH =
            Pattern.compile("/apis/apps/v1/namespaces/[^/]+/(statefulsets|deployments)/[^/]+/scale");

    private final ObjectStore store;
    private final ObjectRegistry registry;

    public ScaleSubresource(ObjectStore store, ObjectRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    public static boolean isScalePath(String path) {
        return SCALE_PATH.matcher(withoutQuery(path)).matches();
    }

    public MockResponse get(String path) {
        return JsonBodies.response(200, scaleOf(JsonBodies.parse(registry.existing(objectPath(path)).getValue())));
    }

    /** A PUT or PATCH (JSON patch, else merge patch) of the Scale. */
    public MockResponse write(String path, HttpMethod method, String contentType, String body) {
        String objectPath = objectPath(path);
        String type = contentType == null ? "" : contentType;
        return store.write(() -> {
            Map.Entry<AttributeSet, String> entry = registry.existing(objectPath);
            JsonNode current = JsonBodies.parse(entry.getValue());
            ObjectNode scale = scaleOf(current);
            JsonNode wanted = switch (method) {
                case PUT -> JsonBodies.parse(body);
                case PATCH -> type.contains("json-patch") ? ObjectRegistry.jsonPatch(JsonBodies.parse(body), scale)
                        : MergePatch.json(scale, JsonBodies.parse(body));
                default -> throw new ApiError(405, "MethodNotAllowed", "method not allowed", null, null, List.of());
            };
            ObjectRegistry.checkResourceVersion(current, wanted);
            ObjectNode updated = current.deepCopy();
            updated.with("spec").put("replicas", wanted.path("spec").path("replicas").asInt());
            registry.replace(objectPath, entry, current, updated);
            return get(path);
        });
    }

    private static String objectPath(String path) {
        return withoutQuery(path).replaceFirst("/scale$", "");
    }

    private static ObjectNode scaleOf(JsonNode object) {
        ObjectNode scale = Serialization.jsonMapper().createObjectNode().put("apiVersion", "autoscaling/v1")
                .put("kind", "Scale");
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
}
