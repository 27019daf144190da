package io.cassandraoperator.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.cassandraoperator.local.apiserver.storage.ObjectStore;
import io.cassandraoperator.local.apiserver.storage.StoredObjectListener;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * A watch over plain HTTP, as {@code kubectl get -w} asks for it (the store serves fabric8's watches over WebSockets):
 * each change of a matching object is handed on as one line of JSON ({@code {"type":"MODIFIED","object":...}}), the
 * objects as tables when kubectl asks for tables. Without a resourceVersion to start from, the matching objects come
 * first as ADDED.
 */
final class HttpWatch {
    private final ObjectStore store;
    private final ObjectReads reads;

    HttpWatch(ObjectStore store, ObjectReads reads) {
        this.store = store;
        this.reads = reads;
    }

    /** @return closes the watch */
    AutoCloseable start(String path, String accept, Consumer<String> events) {
        AttributeSet query = store.key(path);
        boolean asTable = ObjectReads.asksForTable(accept);
        String from = RequestPath.query(path).getOrDefault("resourceVersion", "");
        BiFunction<String, String, String> event = (type, json) -> {
            JsonNode object = JsonBodies.parse(json);
            Object shown = asTable ? reads.table(path, List.of(object), object.path("metadata")
                    .path("resourceVersion").asText("")) : object;
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
}
