package io.cassandraoperator.local.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Pods: created Pending; deleted gracefully when bound to a node, where the kubelet stops the containers and deletes
 * the pod again with grace 0.
 */
final class PodStrategy implements ResourceStrategy {
    private static final long DEFAULT_GRACE_SECONDS = 30;

    @Override
    public void prepareForCreate(ObjectNode pod) {
        pod.putObject("status").put("phase", "Pending");
    }

    /** A pod that never reached a node, or has finished, has no process to stop and goes at once. */
    @Override
    public long deletionGraceSeconds(JsonNode pod, Long requested) {
        String phase = pod.path("status").path("phase").asText();
        if (pod.path("spec").path("nodeName").asText().isEmpty() || phase.equals("Succeeded") || phase.equals("Failed")) {
            return 0;
        }
        if (requested != null) {
            return Math.max(0, requested);
        }
        return pod.path("spec").path("terminationGracePeriodSeconds").asLong(DEFAULT_GRACE_SECONDS);
    }
}
