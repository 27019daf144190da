package io.cassandraoperator.local.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cassandraoperator.local.apiserver.ApiError;
import io.cassandraoperator.local.apiserver.JsonBodies;
import io.cassandraoperator.local.apiserver.QueryParameters;
import io.cassandraoperator.local.apiserver.storage.ObjectStore;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Deletion as the API server does it: an object its strategy gives a grace period (a pod bound to a node) is only
 * marked, and a shorter grace than the mark's shortens it; an object with finalizers is marked and goes with its last
 * finalizer; anything else goes at once. DeleteOptions' gracePeriodSeconds (also as a query parameter) and its uid
 * and resourceVersion preconditions are honoured. Runs under the store's write lock.
 */
final class GracefulDeletion {
    private final ObjectStore store;
    private final ResourceStrategies strategies;

    GracefulDeletion(ObjectStore store, ResourceStrategies strategies) {
        this.store = store;
        this.strategies = strategies;
    }

    MockResponse delete(String path, String body) {
        Map<String, String> attrs = store.attributes(path);
        String name = attrs.get(KubernetesAttributesExtractor.NAME);
        String plural = attrs.get(KubernetesAttributesExtractor.PLURAL);
        List<Map.Entry<AttributeSet, String>> matches = store.matching(store.key(path));
        if (name != null && matches.isEmpty()) {
            throw ApiError.notFound(plural, name);
        }
        JsonNode options = body == null || body.isBlank() ? Serialization.jsonMapper().createObjectNode() : JsonBodies.parse(body);
        Long requested = QueryParameters.of(path).integer("gracePeriodSeconds");
        Long grace = requested != null ? requested
                : options.has("gracePeriodSeconds") && !options.get("gracePeriodSeconds").isNull()
                ? options.get("gracePeriodSeconds").asLong() : null;
        String uidPrecondition = options.path("preconditions").path("uid").asText(null);
        String versionPrecondition = options.path("preconditions").path("resourceVersion").asText(null);
        ResourceStrategy strategy = strategies.forPath(path);
        String last = null;
        for (Map.Entry<AttributeSet, String> entry : matches) {
            ObjectNode object = JsonBodies.object(entry.getValue());
            checkPrecondition("UID", uidPrecondition, object.path("metadata").path("uid").asText(), plural, object);
            checkPrecondition("ResourceVersion", versionPrecondition, object.path("metadata").path("resourceVersion").asText(), plural, object);
            last = deleteOne(path, entry, object, strategy.deletionGraceSeconds(object, grace));
        }
        if (name == null) {
            return JsonBodies.response(200, Map.of("kind", "Status", "apiVersion", "v1", "status", "Success"));
        }
        return JsonBodies.response(200, last);
    }

    /** kube-apiserver's storage.Preconditions.Check, answered as 409 Conflict as it is there. */
    private static void checkPrecondition(String field, String wanted, String actual, String plural, ObjectNode object) {
        if (wanted != null && !wanted.equals(actual)) {
            String name = object.path("metadata").path("name").asText();
            throw new ApiError(409, "Conflict", "Operation cannot be fulfilled on " + plural + " \"" + name + "\": Precondition failed: "
                    + field + " in precondition: " + wanted + ", " + field + " in object meta: " + actual, plural, name, List.of());
        }
    }

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
}
