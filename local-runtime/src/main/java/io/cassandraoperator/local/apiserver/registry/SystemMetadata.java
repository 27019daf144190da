package io.cassandraoperator.local.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudPersistence;
import io.fabric8.zjsonpatch.JsonDiff;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The metadata the server owns (namespace, uid, creationTimestamp, resourceVersion, generation, deletion marks): set
 * on create, kept from the stored object on every write, the resourceVersion bumped by any change and the generation
 * by a change outside metadata and status, as the API server does.
 */
final class SystemMetadata {
    private static final List<String> DELETION_FIELDS = List.of("deletionTimestamp", "deletionGracePeriodSeconds");

    private SystemMetadata() {
    }

    static void fillOnCreate(ObjectNode metadata, long resourceVersion) {
        // Random uids, as the API server: the mock counts from 1 in every process, which would repeat restored uids.
        metadata.put("uid", UUID.randomUUID().toString());
        metadata.put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        metadata.put("resourceVersion", String.valueOf(resourceVersion));
        metadata.put("generation", 1);
        metadata.remove(DELETION_FIELDS);
    }

    static void preserve(JsonNode current, JsonNode updated) {
        ObjectNode metadata = (ObjectNode) updated.get("metadata");
        JsonNode was = current.get("metadata");
        metadata.put("namespace", was.path("namespace").asText(null));
        metadata.put("uid", was.get("uid").asText());
        metadata.put("creationTimestamp", was.get("creationTimestamp").asText());
        metadata.put("resourceVersion", was.get("resourceVersion").asText());
        metadata.set("generation", was.get("generation").deepCopy());
        for (String field : DELETION_FIELDS) {
            JsonFields.setOrRemove(metadata, field, was.get(field));
        }
    }

    static void touchGeneration(JsonNode current, JsonNode updated) {
        JsonNode patch = JsonDiff.asJson(current, updated);
        if (!patch.isEmpty() && KubernetesCrudPersistence.shouldIncreaseGeneration(patch)) {
            ((ObjectNode) updated.get("metadata")).put("generation",
                    updated.path("metadata").path("generation").asInt(0) + 1);
        }
    }

    static void touchResourceVersion(JsonNode current, JsonNode updated, LongSupplier nextResourceVersion) {
        if (!JsonDiff.asJson(current, updated).isEmpty()) {
            ((ObjectNode) updated.get("metadata")).put("resourceVersion",
                    String.valueOf(nextResourceVersion.getAsLong()));
        }
    }
}
