package io.cassandraoperator.local.controllers;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The StatefulSet controller: pods {@code <sts>-<ordinal>} with their claims (created before the pod, never deleted
 * with it), created in order, each only after its predecessor is Running and Ready ({@code OrderedReady}; all at once
 * with {@code Parallel}); scale-down from the highest ordinal, one pod at a time, waiting for it to be gone; rolling
 * update of pods whose template revision is out of date, highest ordinal first, one at a time, each Ready before the
 * next; and the status counters.
 */
public final class StatefulSetController extends ControlLoop {
    private static final Logger LOG = LoggerFactory.getLogger(StatefulSetController.class);

    private final KubernetesClient client;
    private final ObjectCache cache;

    public StatefulSetController(KubernetesClient client, ObjectCache cache) {
        super("statefulset-controller", 1000);
        this.client = client;
        this.cache = cache;
        cache.onChange(this::trigger);
    }

    @Override
    protected void reconcile() {
        for (StatefulSet sts : cache.statefulSets()) {
            if (sts.getMetadata().getDeletionTimestamp() == null) {
                reconcile(sts);
            }
        }
    }

    private void reconcile(StatefulSet sts) {
        Map<Integer, Pod> pods = podsOf(sts);
        String updateRevision = StatefulSetPods.revision(sts);
        int replicas = StatefulSetPods.replicas(sts);
        boolean ordered = !"Parallel".equals(sts.getSpec().getPodManagementPolicy());
        boolean rolling = sts.getSpec().getUpdateStrategy() == null
                || !"OnDelete".equals(sts.getSpec().getUpdateStrategy().getType());
        boolean busy = false;

        for (int ordinal = 0; ordinal < replicas; ordinal++) {
            Pod pod = pods.get(ordinal);
            if (pod == null) {
                if (!busy || !ordered) {
                    create(sts, ordinal);
                }
                busy = true;
            } else if (!PodReadiness.isTerminating(pod) && createMissingClaims(sts, ordinal)) {
                busy = true;
            } else if (!PodReadiness.isRunningAndReady(pod)) {
                if ("Failed".equals(pod.getStatus() == null ? null : pod.getStatus().getPhase())
                        && !PodReadiness.isTerminating(pod)) {
                    LOG.info("pod {} failed; deleting it so that it is created again", name(pod));
                    delete(pod);
                }
                busy = true;
            }
        }
        if (!busy || !ordered) {
            scaleDown(sts, pods, replicas, ordered);
        }
        if (!busy && rolling && pods.values().stream().noneMatch(PodReadiness::isTerminating)) {
            rollOne(sts, pods, replicas, updateRevision);
        }
        writeStatus(sts, pods, replicas, updateRevision);
    }

    private void scaleDown(StatefulSet sts, Map<Integer, Pod> pods, int replicas, boolean ordered) {
        for (Integer ordinal : ((TreeMap<Integer, Pod>) pods).descendingKeySet()) {
            if (ordinal < replicas) {
                return;
            }
            Pod pod = pods.get(ordinal);
            if (PodReadiness.isTerminating(pod)) {
                if (ordered) {
                    return;
                }
                continue;
            }
            LOG.info("StatefulSet {} scaled to {}: deleting pod {} (highest ordinal first)", name(sts), replicas,
                    name(pod));
            delete(pod);
            if (ordered) {
                return;
            }
        }
    }

    private void rollOne(StatefulSet sts, Map<Integer, Pod> pods, int replicas, String updateRevision) {
        int partition = sts.getSpec().getUpdateStrategy() != null
                && sts.getSpec().getUpdateStrategy().getRollingUpdate() != null
                && sts.getSpec().getUpdateStrategy().getRollingUpdate().getPartition() != null
                ? sts.getSpec().getUpdateStrategy().getRollingUpdate().getPartition() : 0;
        for (int ordinal = replicas - 1; ordinal >= partition; ordinal--) {
            Pod pod = pods.get(ordinal);
            if (pod != null && !updateRevision.equals(revisionOf(pod))) {
                LOG.info("StatefulSet {}: pod {} has revision {}, template is {}; deleting it to update it",
                        name(sts), name(pod), revisionOf(pod), updateRevision);
                delete(pod);
                return;
            }
        }
    }

    /**
     * Creates the claims of an ordinal that are missing, also under an existing pod (whose claim was deleted, for a
     * replacement on an empty disk): as the StatefulSet controller does since Kubernetes 1.27.
     *
     * @return whether any was missing
     */
    private boolean createMissingClaims(StatefulSet sts, int ordinal) {
        boolean missing = false;
        for (PersistentVolumeClaim claim : StatefulSetPods.claims(sts, ordinal)) {
            boolean exists = cache.claims().stream().anyMatch(c -> sameObject(c.getMetadata().getNamespace(),
                    c.getMetadata().getName(), claim.getMetadata().getNamespace(), claim.getMetadata().getName()));
            if (!exists) {
                LOG.info("StatefulSet {}: creating claim {}", name(sts), claim.getMetadata().getName());
                createIgnoringConflict(() -> client.persistentVolumeClaims().resource(claim).create());
                missing = true;
            }
        }
        return missing;
    }

    private void create(StatefulSet sts, int ordinal) {
        createMissingClaims(sts, ordinal);
        Pod pod = StatefulSetPods.pod(sts, ordinal);
        LOG.info("StatefulSet {}: creating pod {}", name(sts), pod.getMetadata().getName());
        createIgnoringConflict(() -> client.pods().resource(pod).create());
    }

    private void writeStatus(StatefulSet sts, Map<Integer, Pod> pods, int replicas, String updateRevision) {
        int ready = (int) pods.values().stream().filter(PodReadiness::isRunningAndReady).count();
        int updated = (int) pods.values().stream().filter(p -> updateRevision.equals(revisionOf(p))).count();
        StatefulSetStatus old = sts.getStatus();
        String currentRevision = old == null || old.getCurrentRevision() == null ? updateRevision
                : old.getCurrentRevision();
        if (updated == replicas && ready == replicas && pods.size() == replicas) {
            currentRevision = updateRevision;
        }
        String current = currentRevision;
        int currentCount = (int) pods.values().stream().filter(p -> current.equals(revisionOf(p))).count();
        StatefulSetStatus status = new StatefulSetStatusBuilder()
                .withReplicas(pods.size())
                .withReadyReplicas(ready)
                .withAvailableReplicas(ready)
                .withCurrentReplicas(currentCount)
                .withUpdatedReplicas(updated)
                .withObservedGeneration(sts.getMetadata().getGeneration())
                .withCurrentRevision(currentRevision)
                .withUpdateRevision(updateRevision)
                .withCollisionCount(old == null ? null : old.getCollisionCount())
                .withConditions(old == null ? null : old.getConditions())
                .build();
        if (!Objects.equals(status, old)) {
            StatefulSet copy = new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder(sts).withStatus(status)
                    .build();
            copy.getMetadata().setResourceVersion(null);
            client.apps().statefulSets().resource(copy).updateStatus();
        }
    }

    private TreeMap<Integer, Pod> podsOf(StatefulSet sts) {
        TreeMap<Integer, Pod> pods = new TreeMap<>();
        for (Pod pod : cache.pods()) {
            if (!Objects.equals(pod.getMetadata().getNamespace(), sts.getMetadata().getNamespace())) {
                continue;
            }
            boolean owned = pod.getMetadata().getOwnerReferences().stream()
                    .anyMatch(o -> sts.getMetadata().getUid().equals(o.getUid()));
            if (owned) {
                StatefulSetPods.ordinal(sts, pod.getMetadata().getName()).ifPresent(o -> pods.put(o, pod));
            }
        }
        return pods;
    }

    private void delete(Pod pod) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
    }

    private static void createIgnoringConflict(Runnable create) {
        try {
            create.run();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    private static String revisionOf(Pod pod) {
        return pod.getMetadata().getLabels() == null ? null
                : pod.getMetadata().getLabels().get(StatefulSetPods.REVISION_LABEL);
    }

    private static boolean sameObject(String ns1, String n1, String ns2, String n2) {
        return Objects.equals(ns1, ns2) && Objects.equals(n1, n2);
    }

    private static String name(io.fabric8.kubernetes.api.model.HasMetadata o) {
        return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
    }
}
