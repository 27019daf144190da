package io.cassandraoperator.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The defaults the API server fills in on every write, for the fields of the kinds whose defaults clients see and
 * compare (Service and StatefulSet). Other kinds are stored as sent.
 */
final class ObjectDefaults {
    private ObjectDefaults() {
    }

    static void apply(String plural, ObjectNode object) {
        if (!(object.get("spec") instanceof ObjectNode spec)) {
            return;
        }
        if ("services".equals(plural)) {
            putIfAbsent(spec, "type", "ClusterIP");
            putIfAbsent(spec, "sessionAffinity", "None");
            for (JsonNode port : spec.path("ports")) {
                if (port instanceof ObjectNode p) {
                    putIfAbsent(p, "protocol", "TCP");
                    if (!p.has("targetPort") && p.has("port")) {
                        p.set("targetPort", p.get("port"));
                    }
                }
            }
        } else if ("statefulsets".equals(plural)) {
            if (!spec.has("replicas")) {
                spec.put("replicas", 1);
            }
            putIfAbsent(spec, "podManagementPolicy", "OrderedReady");
            if (!spec.has("revisionHistoryLimit")) {
                spec.put("revisionHistoryLimit", 10);
            }
            if (!spec.has("updateStrategy")) {
                spec.putObject("updateStrategy").put("type", "RollingUpdate").putObject("rollingUpdate")
                        .put("partition", 0);
            }
        }
    }

    private static void putIfAbsent(ObjectNode node, String field, String value) {
        if (!node.hasNonNull(field)) {
            node.put(field, value);
        }
    }
}
