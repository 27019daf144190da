package io.cassandraoperator.local.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** PersistentVolumeClaims: created Pending and protected while in use. */
final class PersistentVolumeClaimStrategy implements ResourceStrategy {
    /** Added to every claim, as the API server's StorageObjectInUseProtection admission does. */
    private static final String PVC_PROTECTION = "kubernetes.io/pvc-protection";

    @Override
    public void prepareForCreate(ObjectNode claim) {
        ArrayNode finalizers = claim.with("metadata").withArray("finalizers");
        boolean protectedAlready = false;
        for (JsonNode f : finalizers) {
            protectedAlready |= f.asText().equals(PVC_PROTECTION);
        }
        if (!protectedAlready) {
            finalizers.add(PVC_PROTECTION);
        }
        claim.putObject("status").put("phase", "Pending");
    }
}
