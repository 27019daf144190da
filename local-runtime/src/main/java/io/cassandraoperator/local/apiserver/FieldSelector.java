package io.cassandraoperator.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A field selector split in two: the requirements on metadata.name and metadata.namespace, which the mock matches
 * itself (it keeps those two fields in its keys), and the others (such as kubectl describe's
 * {@code involvedObject.uid=...} on events), which are checked here against each listed object.
 */
record FieldSelector(String forStore, List<Requirement> onObjects) {
    private static final Pattern REQUIREMENT = Pattern.compile("([\\w.-]+)\\s*(==|!=|=)\\s*(.*)");

    record Requirement(String field, boolean equal, String value) {
        boolean holds(JsonNode object) {
            JsonNode actual = TableView.evaluate(object, "." + field);
            boolean same = actual != null && !actual.isMissingNode() && actual.asText().equals(value);
            return same == equal;
        }
    }

    static FieldSelector parse(String selector) {
        List<String> kept = new ArrayList<>();
        List<Requirement> requirements = new ArrayList<>();
        for (String requirement : selector == null ? new String[0] : selector.split(",")) {
            Matcher m = REQUIREMENT.matcher(requirement.trim());
            if (m.matches() && !m.group(1).equals("metadata.name") && !m.group(1).equals("metadata.namespace")) {
                requirements.add(new Requirement(m.group(1), !m.group(2).equals("!="), m.group(3)));
            } else if (!requirement.isBlank()) {
                kept.add(requirement);
            }
        }
        return new FieldSelector(String.join(",", kept), requirements);
    }

    boolean selects(JsonNode object) {
        return onObjects.stream().allMatch(r -> r.holds(object));
    }
}
