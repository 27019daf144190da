package io.cassandraoperator.local.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudPersistence;
import io.fabric8.zjsonpatch.JsonDiff;

import java.util.function.LongSupplier;

/**
 * The metadata the server owns (namespace, uid, creationTimestamp, resourceVersion, generation): kept from the stored
 * object on every write, the resourceVersion bumped by any change and the generation by a change outside metadata and
 * status, as the fabric8 mock and the API server do.
 */
public final class SystemMetadata {
    private SystemMetadata() {
    }

    public static void preserve(JsonNode current, JsonNode updated) {
        ObjectNode metadata = (ObjectNode) updated.get("metadata");
        JsonNode was = current.get("metadata");
        metadata.put("namespace", was.path("namespace").asText(null));
        metadata.put("uid", was.get("uid").asText());
        metadata.put("creationTimestamp", was.get("creationTimestamp").asText());
        metadata.put("resourceVersion", was.get("resourceVersion").asText());
        metadata.set("generation", was.get("generation").deepCopy());
    }

    public static void touchGeneration(JsonNode current, JsonNode updated) {
        JsonNode patch = JsonDiff.asJson(current, updated);
        if (!patch.isEmpty() && KubernetesCrudPersistence.shouldIncreaseGeneration(patch)) {
            ((ObjectNode) updated.get("metadata")).put("generation",
                    updated.path("metadata").path("generation").asInt(0) + 1);
        }
    }

    public static void touchResourceVersion(JsonNode current, JsonNode updated, LongSupplier nextResourceVersion) {
        if (!JsonDiff.asJson(current, updated).isEmpty()) {
            ((ObjectNode) updated.get("metadata")).put("resourceVersion",
                    String.valueOf(nextResourceVersion.getAsLong()));
        }
    }
}
