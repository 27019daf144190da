package io.cassandraoperator.local.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** StatefulSets: the defaults clients compare against (replicas, pod management, history, update strategy). */
final class StatefulSetStrategy implements ResourceStrategy {

    @Override
    public void applyDefaults(ObjectNode statefulSet) {
        if (!(statefulSet.get("spec") instanceof ObjectNode spec)) {
            return;
        }
        if (!spec.has("replicas")) {
            spec.put("replicas", 1);
        }
        JsonFields.putIfAbsent(spec, "podManagementPolicy", "OrderedReady");
        if (!spec.has("revisionHistoryLimit")) {
            spec.put("revisionHistoryLimit", 10);
        }
        if (!spec.has("updateStrategy")) {
            spec.putObject("updateStrategy").put("type", "RollingUpdate").putObject("rollingUpdate")
                    .put("partition", 0);
        }
    }
}
