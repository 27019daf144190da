package io.cassandraoperator.operator.act;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.operator.OperatorMetrics;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * Kubernetes Events on a Cluster (or a Backup) for decisions a user wants to see (kubectl describe cluster), each exactly once.
 * An Event's name is derived from the occurrence it reports (a member Service's UID and the attempt, a run id), so
 * recording the same occurrence again creates nothing: a step records its Event again on every round that cannot know
 * whether an operator stopped just before recording it, and a restarted operator fills in the one it missed.
 */
public final class ClusterEvents {
    static final String COMPONENT = "cassandra-operator";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterEvents.class);

    private final KubernetesClient client;
    /** Names this process created or found on the server: recording them again costs no request. */
    private final Set<String> recorded;

    /** @param recorded shared by every reconcile of this process (a concurrent set) */
    ClusterEvents(KubernetesClient client, Set<String> recorded) {
        this.client = client;
        this.recorded = recorded;
    }

    /**
     * Records the Event of one occurrence of a decision unless it is recorded already.
     *
     * @param occurrence what makes this occurrence unique within the Cluster (the same value on every round that
     *                   reports it, a different one for the next occurrence of the same reason)
     * @param message    what was decided and why
     * @return whether this call created the Event (false: recorded before, by this process or another, or not recorded)
     */
    public boolean record(HasMetadata cluster, EventReason reason, String occurrence, String message) {
        String name = name(cluster, reason, occurrence);
        if (recorded.contains(name)) {
            return false;
        }
        String now = Instant.now().toString();
        Event event = new EventBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withNamespace(cluster.getMetadata().getNamespace())
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(cluster.getApiVersion()).withKind(cluster.getKind())
                        .withName(cluster.getMetadata().getName()).withNamespace(cluster.getMetadata().getNamespace())
                        .withUid(cluster.getMetadata().getUid()).withResourceVersion(cluster.getMetadata().getResourceVersion())
                        .build())
                .withType(reason.type().value())
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
            OperatorMetrics.countEvent(reason.type().value(), reason.name());
            recorded.add(name);
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                recorded.add(name);
                return false;
            }
            // An event is a courtesy: losing one must not stop the reconcile that decided it; the next round tries again.
            LOG.warn("Could not record event {} on cluster {}: {}", reason, cluster.getMetadata().getName(), e.getMessage());
            return false;
        }
    }

    /** {@code <cluster>.<reason>.<digest of the Cluster's UID and the occurrence>}: a valid, bounded Event name. */
    static String name(HasMetadata cluster, EventReason reason, String occurrence) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((cluster.getMetadata().getUid() + "/" + occurrence).getBytes(StandardCharsets.UTF_8));
            return cluster.getMetadata().getName() + "." + reason.name().toLowerCase(Locale.ROOT) + "." + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
