package io.cassandraoperator.local.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.Keyword;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Validates a custom resource against one version of its CRD the way the API server does before anything is stored:
 * the structural schema (types, bounds, patterns, required fields, enums), unknown fields when the client asks for
 * strict field validation, and the {@code x-kubernetes-validations} CEL rules, transition rules included.
 */
public final class CustomResourceValidator {
    /** Fields every object has that the CRD's schema does not list. */
    private static final Set<String> IMPLICIT_ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");

    /** OpenAPI v3 schemas are a dialect of JSON schema draft 4; the x-kubernetes-* keywords are evaluated here, not by it. */
    private static final JsonSchemaFactory SCHEMA_FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
            factory -> factory.metaSchema(JsonMetaSchema.builder(JsonMetaSchema.getV4())
                    .keywords(Stream.of("x-kubernetes-validations", "x-kubernetes-int-or-string",
                                    "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource",
                                    "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type")
                            .map(NonValidationKeyword::new).map(Keyword.class::cast).toList())
                    .build()));

    private final JsonNode openApiSchema;
    private final JsonSchema jsonSchema;
    private final Map<JsonNode, CelRule> compiledRules = new ConcurrentHashMap<>();

    public CustomResourceValidator(JsonNode openApiSchema) {
        this.openApiSchema = openApiSchema;
        this.jsonSchema = SCHEMA_FACTORY.getSchema(openApiSchema);
    }

    /** The validator for {@code version} of a CRD, or null when that version has no schema. */
    public static CustomResourceValidator forCrdVersion(JsonNode crd, String version) {
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (version.equals(v.path("name").asText())) {
                JsonNode schema = v.path("schema").path("openAPIV3Schema");
                return schema.isMissingNode() ? null : new CustomResourceValidator(schema);
            }
        }
        return null;
    }

    /**
     * @param object              the object to store
     * @param old                 the stored object on an update, null on a create
     * @param rejectUnknownFields true for {@code fieldValidation=Strict} (kubectl's default); otherwise unknown fields
     *                            are the caller's to prune
     */
    public List<FieldError> validate(JsonNode object, JsonNode old, boolean rejectUnknownFields) {
        List<FieldError> errors = new ArrayList<>();
        for (ValidationMessage m : jsonSchema.validate(object)) {
            errors.add(SchemaMessage.toFieldError(m));
        }
        if (rejectUnknownFields) {
            collectUnknownFields(openApiSchema, object, "", true, errors);
        }
        if (errors.isEmpty()) {
            // The API server runs CEL only on schema-valid objects: rules may assume the types the schema promises.
            collectRuleFailures(openApiSchema, object, old, "", errors);
        }
        errors.sort(Comparator.comparing(FieldError::field));
        return errors;
    }

    /**
     * Drops the fields the schema does not know, as the API server prunes a structural schema's unknown fields when the
     * client did not ask for strict validation: clients never read back a field the schema does not declare.
     */
    public void pruneUnknownFields(ObjectNode object) {
        List<FieldError> unknown = new ArrayList<>();
        collectUnknownFields(openApiSchema, object, "", true, unknown);
        for (FieldError field : unknown) {
            JsonNode parent = object;
            String[] steps = field.field().replace("]", "").split("[.\\[]");
            for (int i = 0; i < steps.length - 1 && parent != null; i++) {
                parent = parent.isArray() ? parent.get(Integer.parseInt(steps[i])) : parent.get(steps[i]);
            }
            if (parent instanceof ObjectNode container) {
                container.remove(steps[steps.length - 1]);
            }
        }
    }

    private void collectUnknownFields(JsonNode schema, JsonNode value, String path, boolean root, List<FieldError> errors) {
        if (value == null || schema == null || schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            return;
        }
        if (value.isObject()) {
            JsonNode properties = schema.path("properties");
            JsonNode additional = schema.path("additionalProperties");
            Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = field.getKey();
                String childPath = FieldPath.child(path, name);
                if (root && IMPLICIT_ROOT_FIELDS.contains(name)) {
                    continue;
                }
                if (properties.has(name)) {
                    collectUnknownFields(properties.get(name), field.getValue(), childPath, false, errors);
                } else if (additional.isObject()) {
                    collectUnknownFields(additional, field.getValue(), childPath, false, errors);
                } else if (properties.size() > 0 || additional.isBoolean() && !additional.asBoolean()) {
                    errors.add(new FieldError("FieldValueInvalid", childPath, "unknown field \"" + childPath + "\""));
                }
            }
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                collectUnknownFields(schema.get("items"), value.get(i), FieldPath.index(path, i), false, errors);
            }
        }
    }

    private void collectRuleFailures(JsonNode schema, JsonNode value, JsonNode old, String path, List<FieldError> errors) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return;
        }
        for (JsonNode rule : schema.path("x-kubernetes-validations")) {
            CelRule cel = compiledRules.computeIfAbsent(rule, r -> new CelRule(r.path("rule").asText(), r.path("message").asText(null)));
            if (cel.isTransition() && (old == null || old.isMissingNode() || old.isNull())) {
                continue;
            }
            if (!cel.holds(CelValues.of(value), CelValues.of(old))) {
                errors.add(FieldError.invalid(path, "Invalid value: \"" + typeName(value) + "\": " + cel.failureMessage()));
            }
        }
        if (value.isObject()) {
            JsonNode properties = schema.path("properties");
            JsonNode additional = schema.path("additionalProperties");
            Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode childSchema = properties.has(field.getKey()) ? properties.get(field.getKey())
                        : additional.isObject() ? additional : null;
                if (childSchema != null) {
                    JsonNode oldChild = old == null ? null : old.get(field.getKey());
                    collectRuleFailures(childSchema, field.getValue(), oldChild, FieldPath.child(path, field.getKey()), errors);
                }
            }
        } else if (value.isArray() && schema.has("items")) {
            // Without x-kubernetes-list-type: map there is no old element to correlate with: item rules see no oldSelf.
            for (int i = 0; i < value.size(); i++) {
                collectRuleFailures(schema.get("items"), value.get(i), null, FieldPath.index(path, i), errors);
            }
        }
    }

    /** The JSON type name the API server prints in place of a value it does not echo. */
    private static String typeName(JsonNode value) {
        return switch (value.getNodeType()) {
            case OBJECT -> "object";
            case ARRAY -> "array";
            case STRING -> "string";
            case NUMBER -> value.isIntegralNumber() ? "integer" : "number";
            case BOOLEAN -> "boolean";
            default -> "null";
        };
    }

    /** networknt's messages rephrased the way the API server words the same failure. */
    private static final class SchemaMessage {
        static FieldError toFieldError(ValidationMessage m) {
            String field = FieldPath.fromJsonPath(m.getInstanceLocation().toString());
            // networknt prints bounds as doubles (0.0); the API server prints them as written.
            String detail = m.getMessage().replaceFirst("^\\$[^:]*: ", "").replaceAll("(\\d)\\.0\\b", "$1");
            JsonNode actual = m.getInstanceNode();
            return switch (m.getType()) {
                case "required" -> new FieldError("FieldValueRequired", FieldPath.child(field, m.getProperty()), "Required value");
                case "enum" -> new FieldError("FieldValueNotSupported", field,
                        "Unsupported value: " + actual + ": supported values: " + enumValues(m.getSchemaNode()));
                case "type" -> new FieldError("FieldValueTypeInvalid", field,
                        "Invalid value: " + render(actual) + ": " + field + " in body " + detail);
                default -> FieldError.invalid(field, "Invalid value: " + render(actual) + ": " + field + " in body " + detail);
            };
        }

        private static String enumValues(JsonNode schemaNode) {
            List<String> values = new ArrayList<>();
            JsonNode list = schemaNode != null && schemaNode.isArray() ? schemaNode : schemaNode == null ? null : schemaNode.path("enum");
            if (list != null) {
                list.forEach(v -> values.add(v.toString()));
            }
            return String.join(", ", values);
        }

        private static String render(JsonNode actual) {
            if (actual == null) {
                return "null";
            }
            if (actual.getNodeType() == JsonNodeType.OBJECT || actual.getNodeType() == JsonNodeType.ARRAY) {
                return "\"" + typeName(actual) + "\"";
            }
            return actual.toString();
        }
    }

    /** Field paths in the API server's notation: {@code spec.racks[0].name}. */
    static final class FieldPath {
        static String child(String parent, String name) {
            return parent.isEmpty() ? name : parent + "." + name;
        }

        static String index(String parent, int i) {
            return parent + "[" + i + "]";
        }

        static String fromJsonPath(String jsonPath) {
            return jsonPath.replaceFirst("^\\$\\.?", "");
        }
    }

    /** JSON as the plain Java values CEL evaluates over: maps, lists, Long, Double, String, Boolean. */
    static final class CelValues {
        static Object of(JsonNode node) {
            if (node == null || node.isMissingNode() || node.isNull()) {
                return null;
            }
            if (node.isObject()) {
                Map<String, Object> map = new LinkedHashMap<>();
                // An explicit null is an absent field to the API server, and CEL has no null map values.
                node.fields().forEachRemaining(e -> {
                    if (!e.getValue().isNull()) {
                        map.put(e.getKey(), of(e.getValue()));
                    }
                });
                return map;
            }
            if (node.isArray()) {
                List<Object> list = new ArrayList<>();
                node.forEach(e -> list.add(of(e)));
                return list;
            }
            if (node.isIntegralNumber()) {
                return node.asLong();
            }
            if (node.isNumber()) {
                return node.asDouble();
            }
            if (node.isBoolean()) {
                return node.asBoolean();
            }
            return node.asText();
        }
    }
}
