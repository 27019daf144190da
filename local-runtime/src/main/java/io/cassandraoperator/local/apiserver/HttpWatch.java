package io.cassandraoperator.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.cassandraoperator.local.apiserver.storage.ObjectStore;
import io.cassandraoperator.local.apiserver.storage.WatchReceiver;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A watch over plain HTTP, as {@code kubectl get -w} and the Python client ask for it (the store serves fabric8's
 * watches over WebSockets): each event the {@link ObjectStore#watch store's watch} sends is handed on as one line of
 * JSON ({@code {"type":"MODIFIED","object":...}}), the objects as tables when kubectl asks for tables.
 */
final class HttpWatch {
    private final ObjectStore store;
    private final ObjectReads reads;

    HttpWatch(ObjectStore store, ObjectReads reads) {
        this.store = store;
        this.reads = reads;
    }

    /**
     * @param events the lines, in order
     * @param end called when the store ends the watch
     * @return stops the watch
     */
    Runnable start(String path, String accept, Consumer<String> events, Runnable end) {
        boolean asTable = ObjectReads.asksForTable(accept);
        WatchReceiver receiver = new WatchReceiver() {
            @Override
            public void send(String type, String json) {
                JsonNode object = JsonBodies.parse(json);
                Object shown = asTable && !type.equals("ERROR") ? reads.table(path, List.of(object),
                        object.path("metadata").path("resourceVersion").asText("")) : object;
                events.accept(Serialization.asJson(Map.of("type", type, "object", shown)) + "\n");
            }

            @Override
            public void end() {
                end.run();
            }
        };
        store.watch(path, QueryParameters.of(path).resourceVersion(), receiver);
        return () -> store.unwatch(receiver);
    }
}
