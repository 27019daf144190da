package io.cassandraoperator.local.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates the objects of YAML files, or updates them when they exist (the update carries the current
 * resourceVersion, so it never overwrites a change it has not seen). No server-side apply (docs/architecture.md).
 */
final class ManifestApplier {
    private final KubernetesClient client;

    ManifestApplier(KubernetesClient client) {
        this.client = client;
    }

    /** Returns "kind/name created|configured|unchanged" per object. */
    List<String> apply(Path file) throws IOException {
        List<String> results = new ArrayList<>();
        List<HasMetadata> items;
        try (InputStream in = Files.newInputStream(file)) {
            items = client.load(in).items().stream().filter(item -> item != null && item.getMetadata() != null)
                    .toList();
        }
        for (HasMetadata item : items) {
            String what = item.getKind().toLowerCase() + "/" + item.getMetadata().getName();
            var resource = client.resource(item);
            HasMetadata existing = resource.get();
            if (existing == null) {
                resource.create();
                results.add(what + " created");
            } else {
                item.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
                HasMetadata updated = client.resource(item).update();
                boolean changed = !updated.getMetadata().getResourceVersion()
                        .equals(existing.getMetadata().getResourceVersion());
                results.add(what + (changed ? " configured" : " unchanged"));
            }
        }
        return results;
    }
}
