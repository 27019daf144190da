package io.cassandraoperator.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.crdv2.generator.v1.JsonSchema;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenAPI documents of the kinds {@link ApiDiscovery} serves, as kube-apiserver publishes them: {@code /openapi/v3}
 * (an index), {@code /openapi/v3/api/v1} and {@code /openapi/v3/apis/<group>/<version>}, and {@code /openapi/v2}
 * (all of them in one Swagger 2.0 document). Each kind's schema is a component marked with its
 * {@code x-kubernetes-group-version-kind}, as {@code kubectl explain} looks it up: a CRD's is the {@code openAPIV3Schema}
 * of its version, descriptions included, read anew on every request so that CRDs come and go; a built-in kind's is
 * generated once from its fabric8 model class by the CRD generator, fields and types inlined and without descriptions
 * (the model classes carry none), so {@code kubectl explain pods.spec.containers} lists the fields and their types. Each kind's PATCH operation lists the {@code fieldValidation} parameter, from which kubectl
 * learns that the server checks fields itself ({@code kubectl apply --validate=true}).
 */
public final class OpenApiDocuments {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ApiDiscovery discovery;
    private final Map<Class<?>, ObjectNode> builtInSchemas = new ConcurrentHashMap<>();

    public OpenApiDocuments(ApiDiscovery discovery) {
        this.discovery = discovery;
    }

    /** {@code /openapi/v3}: where each group-version's document is, its URL changing whenever the CRDs change. */
    public ObjectNode v3Index(List<JsonNode> crds) {
        String hash = Integer.toHexString(crds.stream().map(c -> c.path("metadata").path("uid").asText()
                + c.path("metadata").path("resourceVersion").asText()).toList().hashCode());
        ObjectNode paths = JSON.objectNode();
        for (String groupVersion : groupVersions(crds)) {
            String path = groupVersion.contains("/") ? "apis/" + groupVersion : "api/" + groupVersion;
            paths.putObject(path).put("serverRelativeURL", "/openapi/v3/" + path + "?hash=" + hash);
        }
        ObjectNode index = JSON.objectNode();
        index.set("paths", paths);
        return index;
    }

    /** {@code /openapi/v3/api/v1} (group "") or {@code /openapi/v3/apis/<group>/<version>}; empty when not served. */
    public Optional<ObjectNode> v3(String group, String version, List<JsonNode> crds) {
        return discovery.resources(group, version, crds).map(list -> {
            ObjectNode document = document("openapi", "3.0.0");
            ObjectNode paths = document.putObject("paths");
            ObjectNode schemas = document.putObject("components").putObject("schemas");
            for (APIResource kind : kinds(list.getResources())) {
                addKind(group, version, kind, crds, paths, schemas, false);
            }
            return document;
        });
    }

    /** {@code /openapi/v2}: every group-version's kinds in one Swagger 2.0 document. */
    public ObjectNode v2(List<JsonNode> crds) {
        ObjectNode document = document("swagger", "2.0");
        ObjectNode paths = document.putObject("paths");
        ObjectNode definitions = document.putObject("definitions");
        for (String groupVersion : groupVersions(crds)) {
            int slash = groupVersion.indexOf('/');
            String group = slash < 0 ? "" : groupVersion.substring(0, slash);
            String version = groupVersion.substring(slash + 1);
            discovery.resources(group, version, crds).ifPresent(list -> kinds(list.getResources())
                    .forEach(kind -> addKind(group, version, kind, crds, paths, definitions, true)));
        }
        return document;
    }

    private void addKind(String group, String version, APIResource kind, List<JsonNode> crds, ObjectNode paths,
            ObjectNode schemas, boolean v2) {
        String prefix = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
        String path = prefix + (kind.getNamespaced() ? "/namespaces/{namespace}" : "") + "/" + kind.getName()
                + "/{name}";
        ObjectNode gvk = JSON.objectNode().put("group", group).put("version", version).put("kind", kind.getKind());
        ObjectNode patch = paths.putObject(path).putObject("patch");
        patch.put("operationId", "patch" + kind.getKind());
        patch.set("x-kubernetes-group-version-kind", gvk);
        ObjectNode fieldValidation = patch.putArray("parameters").addObject().put("name", "fieldValidation")
                .put("in", "query");
        if (v2) {
            fieldValidation.put("type", "string");
        } else {
            fieldValidation.putObject("schema").put("type", "string");
        }
        patch.putObject("responses").putObject("200").put("description", "OK");
        schema(group, version, kind.getKind(), crds).ifPresent(schema -> {
            ObjectNode component = schema.deepCopy();
            component.putArray("x-kubernetes-group-version-kind").add(gvk);
            schemas.set(schemaName(group, version, kind.getKind()), component);
        });
    }

    /** The schema of a kind: its CRD's, or its fabric8 model class's. */
    private Optional<ObjectNode> schema(String group, String version, String kind, List<JsonNode> crds) {
        for (Class<? extends HasMetadata> type : ApiDiscovery.BUILT_IN) {
            if (HasMetadata.getGroup(type).equals(group) && HasMetadata.getVersion(type).equals(version)
                    && HasMetadata.getKind(type).equals(kind)) {
                return Optional.of(builtInSchemas.computeIfAbsent(type, OpenApiDocuments::generatedSchema));
            }
        }
        for (JsonNode crd : crds) {
            JsonNode spec = crd.path("spec");
            if (spec.path("group").asText().equals(group) && spec.path("names").path("kind").asText().equals(kind)) {
                for (JsonNode v : spec.path("versions")) {
                    JsonNode schema = v.path("schema").path("openAPIV3Schema");
                    if (v.path("name").asText().equals(version) && schema.isObject()) {
                        return Optional.of((ObjectNode) schema);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The generator inlines every field, so it refuses a recursive model (a CRD's own {@code JSONSchemaProps}): such a
     * kind is published as an object of any fields, as kube-apiserver does for fields it cannot describe.
     */
    private static ObjectNode generatedSchema(Class<?> type) {
        try {
            return Serialization.jsonMapper().valueToTree(JsonSchema.from(type));
        } catch (IllegalArgumentException cyclic) {
            return JSON.objectNode().put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
        }
    }

    /** As kube-apiserver names them: {@code io.k8s.api.core.v1.Pod}, a CRD's by its reversed group. */
    private static String schemaName(String group, String version, String kind) {
        String prefix;
        if (group.isEmpty()) {
            prefix = "io.k8s.api.core";
        } else if (!group.contains(".") || group.endsWith(".k8s.io")) {
            prefix = "io.k8s.api." + group.split("\\.")[0];
        } else {
            List<String> parts = new ArrayList<>(List.of(group.split("\\.")));
            Collections.reverse(parts);
            prefix = String.join(".", parts);
        }
        return prefix + "." + version + "." + kind;
    }

    private List<String> groupVersions(List<JsonNode> crds) {
        List<String> out = new ArrayList<>(List.of("v1"));
        for (APIGroup group : discovery.groups(crds).getGroups()) {
            group.getVersions().stream().map(GroupVersionForDiscovery::getGroupVersion).forEach(out::add);
        }
        return out;
    }

    private static List<APIResource> kinds(List<APIResource> resources) {
        return resources.stream().filter(r -> !r.getName().contains("/")).toList();
    }

    private static ObjectNode document(String versionField, String version) {
        ObjectNode document = JSON.objectNode().put(versionField, version);
        document.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0-cassandra-local");
        return document;
    }
}
