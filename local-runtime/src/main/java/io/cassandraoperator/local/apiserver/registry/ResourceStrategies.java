package io.cassandraoperator.local.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.cassandraoperator.local.apiserver.admission.CustomResourceValidator;
import io.cassandraoperator.local.apiserver.storage.ObjectStore;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Which {@link ResourceStrategy} a request path's kind has: a built-in one, its CRD's, or none. */
final class ResourceStrategies {
    private static final ResourceStrategy NO_RULES = new ResourceStrategy() { };

    private final ObjectStore store;
    private final ResourceStrategy pods = new PodStrategy();
    private final ResourceStrategy services;
    private final ResourceStrategy claims = new PersistentVolumeClaimStrategy();
    private final ResourceStrategy statefulSets = new StatefulSetStrategy();
    /** Compiled validators by CRD uid, resourceVersion and served version: a changed CRD compiles anew. */
    private final Map<String, CustomResourceValidator> validators = new ConcurrentHashMap<>();

    ResourceStrategies(ObjectStore store, ServiceClusterIps clusterIps) {
        this.store = store;
        this.services = new ServiceStrategy(clusterIps);
    }

    ResourceStrategy forPath(String path) {
        Map<String, String> attrs = store.attributes(path);
        String group = attrs.get(KubernetesAttributesExtractor.API);
        String plural = attrs.get(KubernetesAttributesExtractor.PLURAL);
        if (plural == null) {
            return NO_RULES;
        }
        if (group == null) {
            return switch (plural) {
                case "pods" -> pods;
                case "services" -> services;
                case "persistentvolumeclaims" -> claims;
                default -> NO_RULES;
            };
        }
        if (group.equals("apps") && plural.equals("statefulsets")) {
            return statefulSets;
        }
        String version = attrs.get(KubernetesAttributesExtractor.VERSION);
        for (JsonNode crd : store.crds()) {
            JsonNode spec = crd.path("spec");
            if (spec.path("group").asText().equals(group) && spec.path("names").path("plural").asText().equals(plural)) {
                String cacheKey = crd.path("metadata").path("uid").asText() + "/"
                        + crd.path("metadata").path("resourceVersion").asText() + "/" + version;
                return new CustomResourceStrategy(spec.path("names").path("kind").asText(), group,
                        validators.computeIfAbsent(cacheKey, k -> CustomResourceValidator.forCrdVersion(crd, version)),
                        store.hasStatusSubresource(path));
            }
        }
        return NO_RULES;
    }
}
