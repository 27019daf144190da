package io.cassandraoperator.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.zjsonpatch.JsonPatch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The operator's identity and permissions on the local runtime, read from the checked-in
 * {@code deploy/overlays/cluster-wide} (the runtime's operator watches every namespace) and never copied: its
 * Namespace, ServiceAccount, (Cluster)Roles and bindings, rendered as {@code kubectl kustomize} renders them for what
 * these kustomizations use (resources, {@code namespace}, {@code labels}, JSON 6902 {@code patches} by kind and
 * name). Anything else in a kustomization fails loudly rather than being rendered wrong; {@code OperatorRbacTest}
 * compares the rendering with kubectl's.
 */
final class OperatorRbac {
    static final String OVERLAY = "deploy/overlays/cluster-wide";
    private static final Set<String> KINDS = Set.of("Namespace", "ServiceAccount", "Role", "ClusterRole", "RoleBinding",
            "ClusterRoleBinding");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PersistentVolume", "StorageClass", "Node");
    private static final Set<String> UNDERSTOOD = Set.of("apiVersion", "kind", "resources", "namespace", "labels",
            "patches");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final List<HasMetadata> objects;

    private OperatorRbac(List<HasMetadata> objects) {
        this.objects = objects;
    }

    static OperatorRbac of(Path projectDir) {
        List<ObjectNode> rendered = render(projectDir.resolve(OVERLAY));
        List<HasMetadata> objects = new ArrayList<>();
        for (ObjectNode object : rendered) {
            String kind = object.path("kind").asText();
            if (KINDS.contains(kind)) {
                if (CLUSTER_SCOPED.contains(kind)) {
                    // the API server keeps no namespace on a cluster-scoped object
                    ((ObjectNode) object.get("metadata")).remove("namespace");
                }
                objects.add(Serialization.unmarshal(object.toString()));
            }
        }
        return new OperatorRbac(List.copyOf(objects));
    }

    /** In the order of the kustomizations' resources, so a Namespace comes before what is in it. */
    List<HasMetadata> objects() {
        return objects;
    }

    /** The one ServiceAccount deploy/ creates: the operator's. */
    ServiceAccount serviceAccount() {
        List<ServiceAccount> accounts = objects.stream().filter(ServiceAccount.class::isInstance)
                .map(ServiceAccount.class::cast).toList();
        if (accounts.size() != 1) {
            throw new IllegalStateException(OVERLAY + " renders " + accounts.size() + " ServiceAccounts, not 1");
        }
        return accounts.get(0);
    }

    private static List<ObjectNode> render(Path directory) {
        Path file = directory.resolve("kustomization.yaml");
        JsonNode kustomization = read(file).get(0);
        kustomization.fieldNames().forEachRemaining(field -> {
            if (!UNDERSTOOD.contains(field)) {
                throw new IllegalStateException(file + " uses '" + field + "', which the local runtime does not"
                        + " render; extend " + OperatorRbac.class.getSimpleName());
            }
        });
        List<ObjectNode> objects = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = directory.resolve(resource.asText()).normalize();
            if (Files.isDirectory(path)) {
                objects.addAll(render(path));
            } else {
                read(path).stream().filter(JsonNode::isObject).map(ObjectNode.class::cast).forEach(objects::add);
            }
        }
        String namespace = kustomization.path("namespace").asText("");
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode object : objects) {
            if (!namespace.isEmpty()) {
                setNamespace(object, namespace);
            }
            for (JsonNode labels : kustomization.path("labels")) {
                ObjectNode metadataLabels = ((ObjectNode) object.get("metadata")).with("labels");
                labels.path("pairs").fields().forEachRemaining(e -> metadataLabels.set(e.getKey(), e.getValue()));
            }
            out.add(patched(object, kustomization.path("patches"), file));
        }
        return out;
    }

    private static void setNamespace(ObjectNode object, String namespace) {
        String kind = object.path("kind").asText();
        if (!CLUSTER_SCOPED.contains(kind)) {
            ((ObjectNode) object.get("metadata")).put("namespace", namespace);
        }
        if (kind.equals("RoleBinding") || kind.equals("ClusterRoleBinding")) {
            for (JsonNode subject : object.path("subjects")) {
                if (subject.path("kind").asText().equals("ServiceAccount") && subject.path("namespace").asText("").isEmpty()) {
                    ((ObjectNode) subject).put("namespace", namespace);
                }
            }
        }
    }

    private static ObjectNode patched(ObjectNode object, JsonNode patches, Path file) {
        ObjectNode current = object;
        for (JsonNode patch : patches) {
            JsonNode target = patch.path("target");
            target.fieldNames().forEachRemaining(field -> {
                if (!field.equals("kind") && !field.equals("name")) {
                    throw new IllegalStateException(file + ": a patch target by '" + field + "' is not rendered here");
                }
            });
            boolean matches = (!target.has("kind") || target.path("kind").asText().equals(current.path("kind").asText()))
                    && (!target.has("name") || target.path("name").asText()
                            .equals(current.path("metadata").path("name").asText()));
            if (matches) {
                JsonNode operations = read(patch.path("patch").asText());
                if (!operations.isArray()) {
                    throw new IllegalStateException(file + ": only JSON 6902 patches (a list of operations) are rendered here");
                }
                current = (ObjectNode) JsonPatch.apply(operations, current);
            }
        }
        return current;
    }

    private static List<JsonNode> read(Path file) {
        try (var parser = YAML.createParser(file.toFile())) {
            List<JsonNode> documents = new ArrayList<>();
            YAML.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static JsonNode read(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
