package io.cassandraoperator.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates the objects of YAML files, or updates them when they exist and differ (the update carries the current
 * resourceVersion, so it never overwrites a change it has not seen). No server-side apply (docs/architecture.md).
 */
final class ManifestApplier {
    private final KubernetesClient client;

    ManifestApplier(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Whether every field the file sets, other than metadata beyond labels and annotations, already has that value
     * (fields the API server added, such as defaults, do not count as a difference).
     */
    static boolean alreadyApplied(HasMetadata desired, HasMetadata existing) {
        ObjectNode wanted = Serialization.jsonMapper().valueToTree(desired);
        ObjectNode current = Serialization.jsonMapper().valueToTree(existing);
        wanted.remove("status");
        ObjectNode metadata = (ObjectNode) wanted.get("metadata");
        metadata.retain("labels", "annotations");
        return contains(current, wanted);
    }

    private static boolean contains(JsonNode current, JsonNode wanted) {
        if (wanted.isObject()) {
            if (current == null || !current.isObject()) {
                return false;
            }
            for (var field : (Iterable<java.util.Map.Entry<String, JsonNode>>) wanted::fields) {
                if (!contains(current.get(field.getKey()), field.getValue())) {
                    return false;
                }
            }
            return true;
        }
        return wanted.equals(current);
    }

    /** Returns "kind/name created|configured|unchanged" per object. */
    List<String> apply(Path file) throws IOException {
        List<HasMetadata> items;
        try (InputStream in = Files.newInputStream(file)) {
            items = client.load(in).items().stream().filter(item -> item != null && item.getMetadata() != null)
                    .toList();
        }
        return apply(items);
    }

    /** Returns "kind/name created|configured|unchanged" per object. */
    List<String> apply(List<HasMetadata> items) {
        List<String> results = new ArrayList<>();
        for (HasMetadata item : items) {
            String what = item.getKind().toLowerCase() + "/" + item.getMetadata().getName();
            var resource = client.resource(item);
            HasMetadata existing = resource.get();
            if (existing == null) {
                resource.create();
                results.add(what + " created");
            } else if (alreadyApplied(item, existing)) {
                results.add(what + " unchanged");
            } else {
                item.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
                client.resource(item).update();
                results.add(what + " configured");
            }
        }
        return results;
    }
}
