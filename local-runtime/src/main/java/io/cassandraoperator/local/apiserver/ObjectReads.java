package io.cassandraoperator.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cassandraoperator.local.apiserver.storage.ObjectStore;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.mockwebserver.http.MockResponse;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.cassandraoperator.local.apiserver.RequestPath.query;
import static io.cassandraoperator.local.apiserver.RequestPath.withoutQuery;

/** Gets, lists and WebSocket watches of the stored objects, and the tables kubectl asks for instead of them. */
final class ObjectReads {
    private final ObjectStore store;
    private final ApiDiscovery discovery;

    ObjectReads(ObjectStore store, ApiDiscovery discovery) {
        this.store = store;
        this.discovery = discovery;
    }

    MockResponse get(String path) {
        QueryParameters query = QueryParameters.of(path);
        MockResponse response = query.flag("watch") ? store.webSocketWatch(path, query.resourceVersion())
                : listOrGet(path);
        if (response.code() == 404) {
            Map<String, String> attrs = store.attributes(path);
            return ApiError.notFound(attrs.get(KubernetesAttributesExtractor.PLURAL),
                    attrs.get(KubernetesAttributesExtractor.NAME)).response();
        }
        return response;
    }

    /**
     * The store matches field selectors on metadata.name and metadata.namespace only (it keeps no other field in its
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
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
                separator = "&";
            }
        }
        MockResponse response = store.get(rest.toString());
        if (response.code() != 200) {
            return response;
        }
        JsonNode body = JsonBodies.parse(new String(response.getBody().getBytes(), StandardCharsets.UTF_8));
        if (!body.has("items") || !"List".equals(body.path("kind").asText())) {
            return response;
        }
        ObjectNode list = (ObjectNode) body;
        ArrayNode items = list.arrayNode();
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
        discovery.resources(group == null ? "" : group, version, store.crds()).flatMap(r -> r.getResources().stream()
                .filter(res -> res.getName().equals(attrs.get(KubernetesAttributesExtractor.PLURAL))).findFirst())
                .ifPresent(res -> {
                    list.put("kind", res.getKind() + "List");
                    list.put("apiVersion", group == null ? version : group + "/" + version);
                });
        return JsonBodies.response(200, list.toString());
    }

    /** kubectl asks for lists and objects as a {@code Table} of columns; other clients get them as they are. */
    MockResponse asTableIfAsked(String path, String accept, MockResponse response) {
        if (!asksForTable(accept) || response.code() != 200 || response.getWebSocketListener() != null
                || response.getBody() == null) {
            return response;
        }
        JsonNode body = JsonBodies.parse(new String(response.getBody().getBytes(), StandardCharsets.UTF_8));
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
        return JsonBodies.response(200, table(path, objects, body.path("metadata").path("resourceVersion").asText("")));
    }

    static boolean asksForTable(String accept) {
        return accept != null && accept.contains("as=Table");
    }

    Map<String, Object> table(String path, List<JsonNode> objects, String resourceVersion) {
        Map<String, String> attrs = store.attributes(path);
        String group = attrs.get(KubernetesAttributesExtractor.API);
        String plural = attrs.get(KubernetesAttributesExtractor.PLURAL);
        JsonNode crd = group == null ? null : store.crds().stream()
                .filter(c -> c.path("spec").path("group").asText().equals(group)
                        && c.path("spec").path("names").path("plural").asText().equals(plural))
                .findFirst().orElse(null);
        return TableView.of(plural, objects, crd, attrs.get(KubernetesAttributesExtractor.VERSION), resourceVersion);
    }
}
