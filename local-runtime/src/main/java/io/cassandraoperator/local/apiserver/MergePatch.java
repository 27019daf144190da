package io.cassandraoperator.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The two merge patches of the Kubernetes API: JSON merge patch (RFC 7386) and strategic merge patch, which kubectl's
 * client-side {@code apply} sends for built-in kinds.
 * <p>
 * The strategic merge patch here knows the merge keys of the lists in the kinds this runtime serves (containers, env,
 * ports, volumes, volume mounts, conditions, owner references, ...) and the directives {@code $patch} (replace, delete,
 * merge), {@code $retainKeys}, {@code $deleteFromPrimitiveList/} and {@code $setElementOrder/} (order is not
 * enforced). It does not read the OpenAPI schema: a list field not in the table is replaced as a whole, and list merge
 * keys depend on the field name only.
 */
public final class MergePatch {
    private static final Map<String, String> MERGE_KEYS = Map.ofEntries(
            Map.entry("containers", "name"), Map.entry("initContainers", "name"),
            Map.entry("ephemeralContainers", "name"), Map.entry("env", "name"), Map.entry("volumes", "name"),
            Map.entry("volumeMounts", "mountPath"), Map.entry("volumeDevices", "devicePath"),
            Map.entry("imagePullSecrets", "name"), Map.entry("conditions", "type"),
            Map.entry("ownerReferences", "uid"), Map.entry("hostAliases", "ip"),
            Map.entry("topologySpreadConstraints", "topologyKey"));
    /** Lists of scalars that strategic merge patch merges as sets. */
    private static final Set<String> MERGED_SCALAR_LISTS = Set.of("finalizers");
    private static final String PATCH = "$patch";
    private static final String RETAIN_KEYS = "$retainKeys";
    private static final String SET_ELEMENT_ORDER = "$setElementOrder/";
    private static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";

    private MergePatch() {
    }

    /** RFC 7386: objects merge recursively, null removes, anything else replaces. */
    public static JsonNode json(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        patch.fields().forEachRemaining(field -> {
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), json(result.get(field.getKey()), field.getValue()));
            }
        });
        return result;
    }

    public static JsonNode strategic(JsonNode target, JsonNode patch) {
        JsonNode merged = mergeObject(target != null && target.isObject() ? (ObjectNode) target.deepCopy()
                : JsonNodeFactory.instance.objectNode(), (ObjectNode) patch);
        return merged == null ? JsonNodeFactory.instance.objectNode() : merged;
    }

    /** Null means the object is to be removed ({@code $patch: delete}). */
    private static ObjectNode mergeObject(ObjectNode target, ObjectNode patch) {
        String directive = patch.path(PATCH).asText("merge");
        if (directive.equals("delete")) {
            return null;
        }
        if (directive.equals("replace")) {
            return withoutDirectives(patch);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.equals(PATCH) || name.equals(RETAIN_KEYS) || name.startsWith(SET_ELEMENT_ORDER)) {
                continue;
            }
            if (name.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
                String listName = name.substring(DELETE_FROM_PRIMITIVE_LIST.length());
                if (target.get(listName) instanceof ArrayNode list) {
                    Set<JsonNode> removed = new HashSet<>();
                    value.forEach(removed::add);
                    target.set(listName, filtered(list, n -> !removed.contains(n)));
                }
                continue;
            }
            if (value.isNull()) {
                target.remove(name);
            } else if (value.isObject()) {
                JsonNode existing = target.get(name);
                ObjectNode merged = mergeObject(existing instanceof ObjectNode o ? o
                        : JsonNodeFactory.instance.objectNode(), (ObjectNode) value);
                if (merged == null) {
                    target.remove(name);
                } else {
                    target.set(name, merged);
                }
            } else if (value.isArray()) {
                target.set(name, mergeList(name, target.get(name), (ArrayNode) value));
            } else {
                target.set(name, value.deepCopy());
            }
        }
        if (patch.get(RETAIN_KEYS) instanceof ArrayNode retain) {
            Set<String> keep = new HashSet<>();
            retain.forEach(k -> keep.add(k.asText()));
            List<String> names = new ArrayList<>();
            target.fieldNames().forEachRemaining(names::add);
            names.stream().filter(n -> !keep.contains(n)).forEach(target::remove);
        }
        return target;
    }

    private static ArrayNode mergeList(String name, JsonNode existing, ArrayNode patch) {
        boolean replace = false;
        for (JsonNode element : patch) {
            if (element.isObject() && element.size() == 1 && "replace".equals(element.path(PATCH).asText())) {
                replace = true;
            }
        }
        String key = MERGE_KEYS.get(name);
        if (name.equals("ports") && patch.size() > 0) {
            // Container ports merge on containerPort, Service ports on port.
            key = patch.get(0).has("containerPort") ? "containerPort" : "port";
        }
        if (!(existing instanceof ArrayNode list) || replace) {
            return stripDirectives(filtered(patch, e -> !isDirectiveOnly(e) && !"delete".equals(e.path(PATCH).asText())));
        }
        ArrayNode result = list.deepCopy();
        if (MERGED_SCALAR_LISTS.contains(name)) {
            patch.forEach(e -> {
                if (!contains(result, e)) {
                    result.add(e.deepCopy());
                }
            });
            return result;
        }
        if (key == null) {
            return stripDirectives(patch);
        }
        for (JsonNode element : patch) {
            if (!element.isObject() || isDirectiveOnly(element)) {
                continue;
            }
            JsonNode keyValue = element.get(key);
            int index = indexOf(result, key, keyValue);
            if ("delete".equals(element.path(PATCH).asText())) {
                if (index >= 0) {
                    result.remove(index);
                }
            } else if (index >= 0) {
                ObjectNode merged = mergeObject((ObjectNode) result.get(index), (ObjectNode) element);
                if (merged == null) {
                    result.remove(index);
                } else {
                    result.set(index, merged);
                }
            } else {
                result.add(withoutDirectives((ObjectNode) element));
            }
        }
        return result;
    }

    private static boolean isDirectiveOnly(JsonNode element) {
        return element.isObject() && element.size() == 1 && element.has(PATCH);
    }

    private static int indexOf(ArrayNode list, String key, JsonNode value) {
        for (int i = 0; i < list.size(); i++) {
            if (value != null && value.equals(list.get(i).get(key))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean contains(ArrayNode list, JsonNode value) {
        for (JsonNode e : list) {
            if (e.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static ArrayNode filtered(ArrayNode list, java.util.function.Predicate<JsonNode> keep) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        list.forEach(e -> {
            if (keep.test(e)) {
                out.add(e.deepCopy());
            }
        });
        return out;
    }

    private static ArrayNode stripDirectives(ArrayNode list) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        list.forEach(e -> out.add(e instanceof ObjectNode o ? withoutDirectives(o) : e.deepCopy()));
        return out;
    }

    private static ObjectNode withoutDirectives(ObjectNode node) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        node.fields().forEachRemaining(f -> {
            String n = f.getKey();
            if (n.startsWith("$")) {
                return;
            }
            JsonNode v = f.getValue();
            if (v instanceof ObjectNode o) {
                out.set(n, withoutDirectives(o));
            } else if (v instanceof ArrayNode a) {
                out.set(n, stripDirectives(a));
            } else {
                out.set(n, v.deepCopy());
            }
        });
        return out;
    }
}
