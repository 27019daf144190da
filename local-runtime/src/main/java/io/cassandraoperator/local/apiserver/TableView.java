package io.cassandraoperator.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Table} form of a list, which kubectl asks for ({@code Accept: ...;as=Table;g=meta.k8s.io}) and prints as
 * columns: the columns the API server prints for the built-in kinds this runtime serves, and a CRD's
 * {@code additionalPrinterColumns} for custom resources.
 */
final class TableView {
    private record Column(String name, String type, int priority, String jsonPath) {
    }

    private static final Pattern FILTER = Pattern.compile("\\[\\?\\(@\\.([\\w.-]+)\\s*==\\s*[\"']([^\"']*)[\"']\\)]");

    private TableView() {
    }

    /** @param crd the CRD of a custom resource, null for a built-in kind */
    static Map<String, Object> of(String plural, List<JsonNode> objects, JsonNode crd, String version,
            String resourceVersion) {
        List<Column> columns = crd != null ? crdColumns(crd, version) : builtInColumns(plural);
        List<Map<String, Object>> definitions = new ArrayList<>();
        definitions.add(definition("Name", "string", 0, "name"));
        columns.forEach(c -> definitions.add(definition(c.name(), c.type(), c.priority(), "")));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode object : objects) {
            List<Object> cells = new ArrayList<>();
            cells.add(object.path("metadata").path("name").asText());
            for (Column c : columns) {
                cells.add(c.jsonPath() != null ? cell(c, object) : builtInCell(plural, c.name(), object));
            }
            rows.add(Map.of("cells", cells, "object", object));
        }
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("kind", "Table");
        table.put("apiVersion", "meta.k8s.io/v1");
        table.put("metadata", Map.of("resourceVersion", resourceVersion));
        table.put("columnDefinitions", definitions);
        table.put("rows", rows);
        return table;
    }

    private static Map<String, Object> definition(String name, String type, int priority, String format) {
        return Map.of("name", name, "type", type, "format", format, "description", name, "priority", priority);
    }

    private static List<Column> crdColumns(JsonNode crd, String version) {
        List<Column> columns = new ArrayList<>();
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (v.path("name").asText().equals(version)) {
                for (JsonNode c : v.path("additionalPrinterColumns")) {
                    columns.add(new Column(c.path("name").asText(), c.path("type").asText("string"),
                            c.path("priority").asInt(0), c.path("jsonPath").asText()));
                }
            }
        }
        if (columns.isEmpty()) {
            columns.add(new Column("Age", "date", 0, ".metadata.creationTimestamp"));
        }
        return columns;
    }

    private static Object cell(Column c, JsonNode object) {
        JsonNode value = evaluate(object, c.jsonPath());
        if (value == null || value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (c.type().equals("date")) {
            return age(value.asText());
        }
        return value.isNumber() ? value.numberValue() : value.isBoolean() ? value.booleanValue() : value.asText();
    }

    /** The JSONPath subset printer columns use: {@code .a.b}, {@code [n]} and {@code [?(@.k=="v")]}. */
    static JsonNode evaluate(JsonNode root, String path) {
        JsonNode node = root;
        String rest = path.startsWith(".") ? path : "." + path;
        while (!rest.isEmpty() && node != null) {
            Matcher filter = FILTER.matcher(rest);
            if (filter.lookingAt()) {
                JsonNode match = null;
                for (JsonNode element : node) {
                    if (evaluate(element, "." + filter.group(1)).asText().equals(filter.group(2))) {
                        match = element;
                        break;
                    }
                }
                node = match;
                rest = rest.substring(filter.end());
            } else if (rest.startsWith("[")) {
                int end = rest.indexOf(']');
                node = node.path(Integer.parseInt(rest.substring(1, end)));
                rest = rest.substring(end + 1);
            } else {
                int next = 1;
                while (next < rest.length() && rest.charAt(next) != '.' && rest.charAt(next) != '[') {
                    next++;
                }
                node = node.path(rest.substring(1, next));
                rest = rest.substring(next);
            }
        }
        return node;
    }

    private static List<Column> builtInColumns(String plural) {
        List<String> names = switch (plural == null ? "" : plural) {
            case "pods" -> List.of("Ready", "Status", "Restarts", "Age", "IP", "Node");
            case "services" -> List.of("Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector");
            case "statefulsets" -> List.of("Ready", "Age");
            case "persistentvolumeclaims" -> List.of("Status", "Volume", "Capacity", "Access Modes", "StorageClass",
                    "Age");
            case "persistentvolumes" -> List.of("Capacity", "Access Modes", "Reclaim Policy", "Status", "Claim",
                    "StorageClass", "Age", "Path");
            case "nodes" -> List.of("Status", "Roles", "Age", "Version", "Zone");
            default -> List.of("Age");
        };
        List<String> wide = List.of("IP", "Node", "Selector", "Path", "Zone");
        return names.stream().map(n -> new Column(n, "string", wide.contains(n) ? 1 : 0, null)).toList();
    }

    private static Object builtInCell(String plural, String column, JsonNode o) {
        JsonNode spec = o.path("spec");
        JsonNode status = o.path("status");
        switch (plural + "/" + column) {
            case "pods/Ready": {
                int ready = 0;
                for (JsonNode c : status.path("containerStatuses")) {
                    ready += c.path("ready").asBoolean() ? 1 : 0;
                }
                return ready + "/" + spec.path("containers").size();
            }
            case "pods/Status":
                return podStatus(o);
            case "pods/Restarts": {
                int restarts = 0;
                for (JsonNode c : status.path("containerStatuses")) {
                    restarts += c.path("restartCount").asInt();
                }
                return restarts;
            }
            case "pods/IP":
                return status.path("podIP").asText("<none>");
            case "pods/Node":
                return spec.path("nodeName").asText("<none>");
            case "services/Type":
                return spec.path("type").asText("ClusterIP");
            case "services/Cluster-IP":
                return spec.path("clusterIP").asText("<none>");
            case "services/External-IP":
                return "<none>";
            case "services/Port(s)": {
                List<String> ports = new ArrayList<>();
                spec.path("ports").forEach(p -> ports.add(p.path("port").asText() + "/" + p.path("protocol").asText("TCP")));
                return ports.isEmpty() ? "<none>" : String.join(",", ports);
            }
            case "services/Selector": {
                List<String> selector = new ArrayList<>();
                spec.path("selector").fields().forEachRemaining(e -> selector.add(e.getKey() + "=" + e.getValue().asText()));
                return selector.isEmpty() ? "<none>" : String.join(",", selector);
            }
            case "statefulsets/Ready":
                return status.path("readyReplicas").asInt(0) + "/" + spec.path("replicas").asInt(1);
            case "persistentvolumeclaims/Status", "persistentvolumes/Status":
                return status.path("phase").asText("Pending");
            case "persistentvolumeclaims/Volume":
                return spec.path("volumeName").asText("");
            case "persistentvolumeclaims/Capacity":
                return status.path("capacity").path("storage").asText("");
            case "persistentvolumes/Capacity":
                return spec.path("capacity").path("storage").asText("");
            case "persistentvolumeclaims/Access Modes", "persistentvolumes/Access Modes": {
                List<String> modes = new ArrayList<>();
                spec.path("accessModes").forEach(m -> modes.add(switch (m.asText()) {
                    case "ReadWriteOnce" -> "RWO";
                    case "ReadOnlyMany" -> "ROX";
                    case "ReadWriteMany" -> "RWX";
                    default -> m.asText();
                }));
                return String.join(",", modes);
            }
            case "persistentvolumeclaims/StorageClass", "persistentvolumes/StorageClass":
                return spec.path("storageClassName").asText("");
            case "persistentvolumes/Reclaim Policy":
                return spec.path("persistentVolumeReclaimPolicy").asText("Retain");
            case "persistentvolumes/Claim":
                return spec.path("claimRef").isMissingNode() ? "" : spec.path("claimRef").path("namespace").asText()
                        + "/" + spec.path("claimRef").path("name").asText();
            case "persistentvolumes/Path":
                return spec.path("local").path("path").asText("");
            case "nodes/Status": {
                JsonNode ready = evaluate(o, ".status.conditions[?(@.type==\"Ready\")].status");
                return ready != null && ready.asText().equals("True") ? "Ready" : "NotReady";
            }
            case "nodes/Roles":
                return "<none>";
            case "nodes/Version":
                return "v1.32.0-cassandra-local";
            case "nodes/Zone":
                return o.path("metadata").path("labels").path("topology.kubernetes.io/zone").asText("");
            default:
                return column.equals("Age") ? age(o.path("metadata").path("creationTimestamp").asText()) : "";
        }
    }

    private static String podStatus(JsonNode pod) {
        if (pod.path("metadata").hasNonNull("deletionTimestamp")) {
            return "Terminating";
        }
        for (JsonNode c : pod.path("status").path("containerStatuses")) {
            String waiting = c.path("state").path("waiting").path("reason").asText("");
            if (!waiting.isEmpty()) {
                return waiting;
            }
            String terminated = c.path("state").path("terminated").path("reason").asText("");
            if (!terminated.isEmpty()) {
                return terminated;
            }
        }
        return pod.path("status").path("phase").asText("Pending");
    }

    /** As kubectl prints ages: 45s, 12m, 3h, 2d. */
    static String age(String timestamp) {
        if (timestamp == null || timestamp.isEmpty()) {
            return "<unknown>";
        }
        Duration d = Duration.between(Instant.parse(timestamp), Instant.now());
        long s = Math.max(0, d.getSeconds());
        if (s < 120) {
            return s + "s";
        } else if (s < 3600 * 2) {
            return (s / 60) + "m";
        } else if (s < 86400 * 2) {
            return (s / 3600) + "h";
        }
        return (s / 86400) + "d";
    }
}
