package io.cassandraoperator.operator.plan.violation;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A deliberate breach of the layering, never run: a "plan" that deletes through the Kubernetes client.
 * {@code ArchitectureTest} proves its rules find it, so they cannot pass because they look at nothing.
 */
final class PlanThatWrites {
    private PlanThatWrites() {
    }

    static void decideAndDelete(KubernetesClient client, Service service) {
        client.resource(service).delete();
    }
}
