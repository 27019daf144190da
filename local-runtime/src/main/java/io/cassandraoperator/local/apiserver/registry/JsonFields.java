package io.cassandraoperator.local.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The two field writes the registry's rules share. */
final class JsonFields {
    private JsonFields() {
    }

    /** A default: set when the client left the field out or null. */
    static void putIfAbsent(ObjectNode node, String field, String value) {
        if (!node.hasNonNull(field)) {
            node.put(field, value);
        }
    }

    /** A field carried over from another object: a copy of {@code value}, or removed when it is absent. */
    static void setOrRemove(ObjectNode node, String field, JsonNode value) {
        if (value == null || value.isMissingNode()) {
            node.remove(field);
        } else {
            node.set(field, value.deepCopy());
        }
    }
}
