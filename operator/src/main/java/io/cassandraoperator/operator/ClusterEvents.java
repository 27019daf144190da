package io.cassandraoperator.operator;

import io.cassandraoperator.api.Cluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.UUID;

/** Kubernetes Events on a Cluster for decisions a user wants to see (kubectl describe cluster). */
final class ClusterEvents {
    static final String COMPONENT = "cassandra-operator";
    static final String NORMAL = "Normal";
    static final String WARNING = "Warning";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterEvents.class);

    private final KubernetesClient client;

    ClusterEvents(KubernetesClient client) {
        this.client = client;
    }

    void normal(Cluster cluster, String reason, String message) {
        record(cluster, NORMAL, reason, message);
    }

    void warning(Cluster cluster, String reason, String message) {
        record(cluster, WARNING, reason, message);
    }

    private void record(Cluster cluster, String type, String reason, String message) {
        OperatorMetrics.countEvent(type, reason);
        String now = Instant.now().toString();
        Event event = new EventBuilder()
                .withNewMetadata()
                    .withName(cluster.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13).replace("-", ""))
                    .withNamespace(cluster.getMetadata().getNamespace())
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(cluster.getApiVersion()).withKind(cluster.getKind())
                        .withName(cluster.getMetadata().getName()).withNamespace(cluster.getMetadata().getNamespace())
                        .withUid(cluster.getMetadata().getUid()).withResourceVersion(cluster.getMetadata().getResourceVersion())
                        .build())
                .withType(type)
                .withReason(reason)
                .withMessage(message)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .build();
        try {
            client.v1().events().inNamespace(cluster.getMetadata().getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            // An event is a courtesy: losing one must not stop the reconcile that decided it.
            LOG.warn("Could not record event {} on cluster {}: {}", reason, cluster.getMetadata().getName(), e.getMessage());
        }
    }
}
