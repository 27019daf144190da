package io.cassandraoperator.local.controllers;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.apache.commons.io.file.PathUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Local volumes, provisioned as with {@code volumeBindingMode: WaitForFirstConsumer}: once a pod using an unbound claim
 * is scheduled, a PV is created on that pod's node, a directory {@code <state-dir>/nodes/<node>/volumes/<pv>} with node
 * affinity to the node's {@code kubernetes.io/hostname} label (as the local static provisioner pins them; the label
 * need not equal the Node's name), and bound to the claim. A PV whose claim is gone is deleted with its directory (reclaim policy
 * Delete).
 */
public final class LocalVolumeProvisioner extends ControlLoop {
    private static final Logger LOG = LoggerFactory.getLogger(LocalVolumeProvisioner.class);
    public static final String HOSTNAME_LABEL = "kubernetes.io/hostname";

    private final KubernetesClient client;
    private final ObjectCache cache;
    private final Path stateDir;

    public LocalVolumeProvisioner(KubernetesClient client, ObjectCache cache, Path stateDir) {
        super("local-volume-provisioner", 1000);
        this.client = client;
        this.cache = cache;
        this.stateDir = stateDir;
        cache.onChange(this::trigger);
    }

    /** Where a PV on a node keeps its data. */
    public static Path volumeDirectory(Path stateDir, String node, String pv) {
        return stateDir.resolve("nodes").resolve(node).resolve("volumes").resolve(pv);
    }

    @Override
    protected void reconcile() {
        for (PersistentVolumeClaim claim : cache.claims()) {
            if (claim.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            String volumeName = claim.getSpec().getVolumeName();
            if (volumeName == null || volumeName.isEmpty()) {
                scheduledConsumer(claim).ifPresent(node -> provision(claim, node));
            } else if (!"Bound".equals(claim.getStatus() == null ? null : claim.getStatus().getPhase())) {
                markBound(claim, volumeName);
            }
        }
        reclaim();
    }

    private Optional<String> scheduledConsumer(PersistentVolumeClaim claim) {
        for (Pod pod : cache.pods()) {
            if (!Objects.equals(pod.getMetadata().getNamespace(), claim.getMetadata().getNamespace())
                    || pod.getSpec().getNodeName() == null || pod.getSpec().getVolumes() == null) {
                continue;
            }
            for (Volume v : pod.getSpec().getVolumes()) {
                if (v.getPersistentVolumeClaim() != null
                        && claim.getMetadata().getName().equals(v.getPersistentVolumeClaim().getClaimName())) {
                    return Optional.of(pod.getSpec().getNodeName());
                }
            }
        }
        return Optional.empty();
    }

    private void provision(PersistentVolumeClaim claim, String node) {
        String name = "pvc-" + claim.getMetadata().getUid();
        Path directory = volumeDirectory(stateDir, node, name);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Quantity size = claim.getSpec().getResources() == null || claim.getSpec().getResources().getRequests() == null
                ? new Quantity("1Gi") : claim.getSpec().getResources().getRequests().getOrDefault("storage",
                new Quantity("1Gi"));
        String hostname = hostname(node);
        PersistentVolume pv = new PersistentVolumeBuilder()
                .withNewMetadata().withName(name)
                .addToLabels(HOSTNAME_LABEL, hostname)
                .addToAnnotations("pv.kubernetes.io/provisioned-by", "cassandra-local")
                .endMetadata()
                .withNewSpec()
                .withCapacity(Map.of("storage", size))
                .withAccessModes(claim.getSpec().getAccessModes())
                .withStorageClassName(claim.getSpec().getStorageClassName())
                .withPersistentVolumeReclaimPolicy("Delete")
                .withVolumeMode("Filesystem")
                .withNewLocal().withPath(directory.toAbsolutePath().toString()).endLocal()
                .withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression()
                .withKey(HOSTNAME_LABEL).withOperator("In").withValues(hostname)
                .endMatchExpression().endNodeSelectorTerm().endRequired().endNodeAffinity()
                .withNewClaimRef().withApiVersion("v1").withKind("PersistentVolumeClaim")
                .withNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
                .withUid(claim.getMetadata().getUid()).endClaimRef()
                .endSpec()
                .build();
        if (cache.volumes().stream().noneMatch(v -> v.getMetadata().getName().equals(name))) {
            LOG.info("provisioning {} on {} for claim {}/{} at {}", name, node, claim.getMetadata().getNamespace(),
                    claim.getMetadata().getName(), directory);
            client.persistentVolumes().resource(pv).create();
        }
        client.persistentVolumes().withName(name).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Bound\"}}");
        client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
                .withName(claim.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{"
                        + "\"pv.kubernetes.io/bind-completed\":\"yes\",\"volume.kubernetes.io/selected-node\":\""
                        + node + "\"}},\"spec\":{\"volumeName\":\"" + name + "\"}}");
        markBound(claim, name);
    }

    /** The node's hostname label; its name when it has none (a Node created by hand). */
    private String hostname(String node) {
        return cache.nodes().stream().filter(n -> n.getMetadata().getName().equals(node)).findFirst()
                .map(n -> n.getMetadata().getLabels() == null ? null : n.getMetadata().getLabels().get(HOSTNAME_LABEL))
                .orElse(node);
    }

    private void markBound(PersistentVolumeClaim claim, String volumeName) {
        Optional<PersistentVolume> pv = cache.volumes().stream()
                .filter(v -> v.getMetadata().getName().equals(volumeName)).findFirst();
        String capacity = pv.map(v -> v.getSpec().getCapacity().get("storage").toString()).orElse(null);
        String patch = "{\"status\":{\"phase\":\"Bound\""
                + (capacity == null ? "" : ",\"capacity\":{\"storage\":\"" + capacity + "\"}")
                + (claim.getSpec().getAccessModes() == null ? "" : ",\"accessModes\":"
                + io.fabric8.kubernetes.client.utils.Serialization.asJson(claim.getSpec().getAccessModes()))
                + "}}";
        client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
                .withName(claim.getMetadata().getName()).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }

    /** PVs this provisioner made whose claim no longer exists go, with their data. */
    private void reclaim() {
        Set<String> claimUids = cache.claims().stream().map(c -> c.getMetadata().getUid()).collect(Collectors.toSet());
        for (PersistentVolume pv : cache.volumes()) {
            boolean ours = pv.getMetadata().getAnnotations() != null
                    && "cassandra-local".equals(pv.getMetadata().getAnnotations().get("pv.kubernetes.io/provisioned-by"));
            if (!ours || pv.getSpec().getClaimRef() == null || claimUids.contains(pv.getSpec().getClaimRef().getUid())
                    || !"Delete".equals(pv.getSpec().getPersistentVolumeReclaimPolicy())) {
                continue;
            }
            // The cache may not have the claim yet: only a live lookup proves it gone.
            PersistentVolumeClaim live = client.persistentVolumeClaims()
                    .inNamespace(pv.getSpec().getClaimRef().getNamespace())
                    .withName(pv.getSpec().getClaimRef().getName()).get();
            if (live != null && live.getMetadata().getUid().equals(pv.getSpec().getClaimRef().getUid())) {
                continue;
            }
            LOG.info("claim {}/{} of {} is gone: deleting the volume and its directory {}",
                    pv.getSpec().getClaimRef().getNamespace(), pv.getSpec().getClaimRef().getName(),
                    pv.getMetadata().getName(), pv.getSpec().getLocal().getPath());
            // The data first: a PV that is gone from the API must have no data left behind it.
            deleteRecursively(Path.of(pv.getSpec().getLocal().getPath()));
            client.persistentVolumes().withName(pv.getMetadata().getName()).delete();
        }
    }

    static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try {
            PathUtils.delete(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
