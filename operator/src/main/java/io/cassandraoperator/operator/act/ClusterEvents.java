package io.cassandraoperator.operator.act;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.operator.OperatorMetrics;
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
public final class ClusterEvents {
    static final String COMPONENT = "cassandra-operator";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterEvents.class);

    private final KubernetesClient client;

    public ClusterEvents(KubernetesClient client) {
        this.client = client;
    }

    /** Records an Event of the reason's type; the reason names the decision, the message says what and why. */
    public void record(Cluster cluster, EventReason reason, String message) {
        String type = reason.type().value();
        OperatorMetrics.countEvent(type, reason.name());
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
                .withReason(reason.name())
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
