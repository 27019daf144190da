package io.cassandraoperator.local.controllers;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;

/**
 * Storage object in use protection, as Kubernetes does it: every claim carries the finalizer {@value #FINALIZER} (the
 * API server adds it on create), and a deleted claim is only removed once no pod on a node uses it any more, so the
 * data of a running member cannot be deleted from under it.
 */
public final class ClaimProtection extends ControlLoop {
    private static final Logger LOG = LoggerFactory.getLogger(ClaimProtection.class);
    public static final String FINALIZER = "kubernetes.io/pvc-protection";

    private final KubernetesClient client;
    private final ObjectCache cache;

    public ClaimProtection(KubernetesClient client, ObjectCache cache) {
        super("pvc-protection", 1000);
        this.client = client;
        this.cache = cache;
        cache.onChange(this::trigger);
    }

    @Override
    protected void reconcile() {
        for (PersistentVolumeClaim claim : cache.claims()) {
            List<String> finalizers = claim.getMetadata().getFinalizers();
            if (claim.getMetadata().getDeletionTimestamp() == null || !finalizers.contains(FINALIZER)) {
                continue;
            }
            Pod user = cache.pods().stream().filter(p -> uses(p, claim)).findFirst().orElse(null);
            if (user != null) {
                LOG.debug("claim {}/{} is deleted but pod {} still uses it: keeping it", claim.getMetadata().getNamespace(),
                        claim.getMetadata().getName(), user.getMetadata().getName());
                continue;
            }
            LOG.info("claim {}/{} is deleted and no pod uses it: releasing it", claim.getMetadata().getNamespace(),
                    claim.getMetadata().getName());
            int index = finalizers.indexOf(FINALIZER);
            client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
                    .withName(claim.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON),
                            "[{\"op\":\"test\",\"path\":\"/metadata/finalizers/" + index + "\",\"value\":\"" + FINALIZER
                                    + "\"},{\"op\":\"remove\",\"path\":\"/metadata/finalizers/" + index + "\"}]");
        }
    }

    /** A pod on a node that has not finished uses its claims; a pod no node runs does not. */
    private static boolean uses(Pod pod, PersistentVolumeClaim claim) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return Objects.equals(pod.getMetadata().getNamespace(), claim.getMetadata().getNamespace())
                && pod.getSpec().getNodeName() != null && !"Succeeded".equals(phase) && !"Failed".equals(phase)
                && pod.getSpec().getVolumes() != null
                && pod.getSpec().getVolumes().stream().anyMatch(v -> v.getPersistentVolumeClaim() != null
                && claim.getMetadata().getName().equals(v.getPersistentVolumeClaim().getClaimName()));
    }
}
