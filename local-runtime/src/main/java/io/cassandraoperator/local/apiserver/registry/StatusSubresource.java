package io.cassandraoperator.local.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static io.cassandraoperator.local.apiserver.RequestPath.withoutQuery;

/** The status subresource: a write to {@code /status} changes only the status; a write to the object keeps it. */
final class StatusSubresource {
    private StatusSubresource() {
    }

    static boolean isStatusWrite(String path) {
        return withoutQuery(path).endsWith("/status");
    }

    /** The object to store for a write of {@code requested} over {@code current}. */
    static ObjectNode apply(String path, boolean hasSubresource, JsonNode current, ObjectNode requested) {
        if (isStatusWrite(path)) {
            ObjectNode result = current.deepCopy();
            JsonFields.setOrRemove(result, "status", requested.get("status"));
            return result;
        }
        if (hasSubresource) {
            JsonFields.setOrRemove(requested, "status", current.get("status"));
        }
        return requested;
    }
}
