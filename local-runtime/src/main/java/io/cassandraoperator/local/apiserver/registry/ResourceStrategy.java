package io.cassandraoperator.local.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What one kind adds to the generic create, update and delete of {@link ObjectRegistry}, in the manner of
 * kube-apiserver's registry strategies. Every step defaults to nothing.
 */
interface ResourceStrategy {

    /**
     * Whether {@code status} is written through {@code /status} only, so that object writes leave it alone: for
     * custom resources as their CRD says; the built-in kinds that have one are in {@code ApiDiscovery}.
     */
    default boolean hasStatusSubresource() {
        return false;
    }

    /** Sets what a new object starts with whatever the client sent: its status, the finalizers admission adds. */
    default void prepareForCreate(ObjectNode object) {
    }

    /** Fills the defaults of a created or updated object. */
    default void applyDefaults(ObjectNode object) {
    }

    /**
     * Takes what a new object holds outside the store (a Service's ClusterIP).
     *
     * @return gives it back, when the create fails after all
     */
    default Runnable allocate(ObjectNode object) {
        return () -> { };
    }

    /** Refuses an invalid object; may prune unknown fields first. {@code old} is null on create. */
    default void validate(ObjectNode object, JsonNode old, boolean strictFields) {
    }

    /** Carries over from the stored object what an update may not change or may leave out. */
    default void prepareForUpdate(JsonNode current, ObjectNode updated) {
    }

    /**
     * @param requested the grace period the delete asked for, or null
     * @return how long a deleted object stays marked before it goes; 0 removes it at once (finalizers aside)
     */
    default long deletionGraceSeconds(JsonNode object, Long requested) {
        return 0;
    }
}
