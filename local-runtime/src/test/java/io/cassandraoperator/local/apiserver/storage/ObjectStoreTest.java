package io.cassandraoperator.local.apiserver.storage;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ObjectStoreTest {
    private static final String CONFIGMAPS = "/api/v1/namespaces/default/configmaps";

    @TempDir
    Path dir;

    private static String configMap(String name, long resourceVersion) {
        return Serialization.asJson(new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("default")
                .withResourceVersion(String.valueOf(resourceVersion)).endMetadata().addToData("k", name).build());
    }

    private static void put(ObjectStore store, String name, long resourceVersion) {
        var stored = store.find(store.key(CONFIGMAPS + "/" + name));
        store.change(CONFIGMAPS, store.key(CONFIGMAPS), stored == null ? null : stored.getKey(),
                configMap(name, resourceVersion));
    }

    @Test
    void listenersSeeEachChangeWithTheObjectsPathAndItsOldAndNewJson() {
        try (ObjectStore store = new ObjectStore(dir.resolve("objects.json"))) {
            store.load();
            List<String> seen = new ArrayList<>();
            store.addListener((path, before, after) -> seen.add(path + " " + (before != null) + " " + (after != null)));
            put(store, "a", 1);
            put(store, "a", 2);
            store.change(CONFIGMAPS + "/a", store.key(CONFIGMAPS + "/a"), store.find(store.key(CONFIGMAPS + "/a"))
                    .getKey(), null);
            assertThat(seen).containsExactly(CONFIGMAPS + "/a false true", CONFIGMAPS + "/a true true",
                    CONFIGMAPS + "/a true false");
        }
    }

    @Test
    void aListShowsTheObjectsInTheOrderTheyWereLastWritten() {
        try (ObjectStore store = new ObjectStore(dir.resolve("objects.json"))) {
            store.load();
            put(store, "a", 1);
            put(store, "b", 2);
            put(store, "a", 3);
            assertThat(store.matching(store.key(CONFIGMAPS))).extracting(e -> Serialization.unmarshal(e.getValue(),
                    ConfigMap.class).getMetadata().getName()).containsExactly("b", "a");
        }
    }

    @Test
    void theObjectsAndTheirResourceVersionsSurviveAReopen() {
        Path file = dir.resolve("objects.json");
        try (ObjectStore store = new ObjectStore(file)) {
            store.load();
            put(store, "a", 41);
        }
        try (ObjectStore store = new ObjectStore(file)) {
            store.load();
            assertThat(store.find(store.key(CONFIGMAPS + "/a")).getValue()).isEqualTo(configMap("a", 41));
            assertThat(store.nextResourceVersion()).isGreaterThan(41);
        }
    }
}
