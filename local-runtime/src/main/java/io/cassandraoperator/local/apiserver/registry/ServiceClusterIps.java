package io.cassandraoperator.local.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cassandraoperator.local.apiserver.ApiError;
import io.cassandraoperator.local.network.LoopbackAddressPool;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * Service ClusterIPs as the API server handles them: allocated from the pool in the create request (an explicit one
 * is kept, {@code None} and ExternalName get none), immutable afterwards, kept when an update leaves them out, and
 * given back to the pool when the Service goes.
 */
final class ServiceClusterIps {
    private final LoopbackAddressPool pool;

    ServiceClusterIps(LoopbackAddressPool pool) {
        this.pool = pool;
    }

    /** Sets spec.clusterIP(s) of a Service being created; returns the address taken from the pool, or null. */
    String assign(ObjectNode service) {
        ObjectNode spec = service.with("spec");
        if (spec.path("type").asText("ClusterIP").equals("ExternalName")) {
            return null;
        }
        String requested = spec.path("clusterIP").asText("");
        if (requested.equals("None")) {
            return null;
        }
        String ip;
        if (requested.isEmpty()) {
            ip = pool.allocate();
        } else if (pool.contains(requested)) {
            if (!pool.reserve(requested)) {
                throw ApiError.invalid("Service \"" + service.path("metadata").path("name").asText()
                        + "\" is invalid: spec.clusterIPs: Invalid value: [\"" + requested
                        + "\"]: failed to allocate IP " + requested + ": provided IP is already allocated");
            }
            ip = requested;
        } else {
            return null;
        }
        spec.put("clusterIP", ip);
        spec.putArray("clusterIPs").add(ip);
        return ip;
    }

    /** Gives back an address whose Service was not stored after all. */
    void release(String ip) {
        if (ip != null) {
            pool.release(ip);
        }
    }

    /** spec.clusterIP is immutable; an update that leaves it out keeps it, as the API server does. */
    static void keep(JsonNode current, ObjectNode updated) {
        JsonNode currentSpec = current.path("spec");
        ObjectNode spec = updated.with("spec");
        String ip = currentSpec.path("clusterIP").asText("");
        String requested = spec.path("clusterIP").asText("");
        if (requested.isEmpty()) {
            for (String field : new String[] {"clusterIP", "clusterIPs"}) {
                if (currentSpec.has(field)) {
                    spec.set(field, currentSpec.get(field).deepCopy());
                }
            }
        } else if (!requested.equals(ip)) {
            throw ApiError.invalid("Service \"" + updated.path("metadata").path("name").asText()
                    + "\" is invalid: spec.clusterIP: Invalid value: \"" + requested + "\": field is immutable");
        }
    }

    /** Keeps the pool in step with the stored Services, also when they are restored from disk. */
    void changed(String path, String before, String after) {
        if (!path.contains("/services")) {
            return;
        }
        String oldIp = before == null ? null : clusterIp(before);
        String newIp = after == null ? null : clusterIp(after);
        if (oldIp != null && !oldIp.equals(newIp)) {
            pool.release(oldIp);
        }
        if (newIp != null && before == null) {
            pool.reserve(newIp);
        }
    }

    private static String clusterIp(String serviceJson) {
        try {
            return Serialization.jsonMapper().readTree(serviceJson).path("spec").path("clusterIP").asText(null);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }
}
