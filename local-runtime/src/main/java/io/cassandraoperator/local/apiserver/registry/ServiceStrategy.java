package io.cassandraoperator.local.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Services: the defaults clients compare against, and a ClusterIP allocated on create and immutable after. */
final class ServiceStrategy implements ResourceStrategy {
    private final ServiceClusterIps clusterIps;

    ServiceStrategy(ServiceClusterIps clusterIps) {
        this.clusterIps = clusterIps;
    }

    @Override
    public void applyDefaults(ObjectNode service) {
        if (!(service.get("spec") instanceof ObjectNode spec)) {
            return;
        }
        JsonFields.putIfAbsent(spec, "type", "ClusterIP");
        JsonFields.putIfAbsent(spec, "sessionAffinity", "None");
        for (JsonNode port : spec.path("ports")) {
            if (port instanceof ObjectNode p) {
                JsonFields.putIfAbsent(p, "protocol", "TCP");
                if (!p.has("targetPort") && p.has("port")) {
                    p.set("targetPort", p.get("port"));
                }
            }
        }
    }

    @Override
    public Runnable allocate(ObjectNode service) {
        String ip = clusterIps.assign(service);
        return () -> clusterIps.release(ip);
    }

    @Override
    public void prepareForUpdate(JsonNode current, ObjectNode updated) {
        ServiceClusterIps.keep(current, updated);
    }
}
