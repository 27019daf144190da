package io.cassandraoperator.local.controllers;

import io.fabric8.kubernetes.api.model.Pod;

/** What "Running and Ready" means for the StatefulSet controller and the Service proxy. */
public final class PodReadiness {
    private PodReadiness() {
    }

    public static boolean isRunningAndReady(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() == null
                && pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())
                && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    public static boolean isTerminating(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }
}
