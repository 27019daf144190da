package io.cassandraoperator.local.controllers;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The pods and claims a StatefulSet wants, computed from it alone. */
public final class StatefulSetPods {
    public static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
    public static final String REVISION_LABEL = "controller-revision-hash";
    public static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";

    private StatefulSetPods() {
    }

    public static String podName(StatefulSet sts, int ordinal) {
        return sts.getMetadata().getName() + "-" + ordinal;
    }

    /** The ordinal of a pod of this StatefulSet, or empty when the pod's name is not one of its. */
    public static Optional<Integer> ordinal(StatefulSet sts, String podName) {
        String prefix = sts.getMetadata().getName() + "-";
        if (podName.startsWith(prefix) && podName.substring(prefix.length()).matches("\\d+")) {
            return Optional.of(Integer.parseInt(podName.substring(prefix.length())));
        }
        return Optional.empty();
    }

    public static String claimName(String template, StatefulSet sts, int ordinal) {
        return template + "-" + podName(sts, ordinal);
    }

    /** The revision of the pod template: changes exactly when the template does. */
    public static String revision(StatefulSet sts) {
        try {
            byte[] template = Serialization.asJson(sts.getSpec().getTemplate()).getBytes(StandardCharsets.UTF_8);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(template);
            return sts.getMetadata().getName() + "-" + HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static int replicas(StatefulSet sts) {
        Integer r = sts.getSpec().getReplicas();
        return r == null ? 1 : r;
    }

    public static Pod pod(StatefulSet sts, int ordinal) {
        String name = podName(sts, ordinal);
        Map<String, String> labels = new HashMap<>();
        if (sts.getSpec().getTemplate().getMetadata() != null && sts.getSpec().getTemplate().getMetadata().getLabels() != null) {
            labels.putAll(sts.getSpec().getTemplate().getMetadata().getLabels());
        }
        labels.put(POD_NAME_LABEL, name);
        labels.put(REVISION_LABEL, revision(sts));
        labels.put(POD_INDEX_LABEL, String.valueOf(ordinal));
        Map<String, String> annotations = sts.getSpec().getTemplate().getMetadata() == null ? null
                : sts.getSpec().getTemplate().getMetadata().getAnnotations();
        PodSpec spec = Serialization.clone(sts.getSpec().getTemplate().getSpec());
        spec.setHostname(name);
        spec.setSubdomain(sts.getSpec().getServiceName());
        List<Volume> volumes = spec.getVolumes() == null ? new ArrayList<>() : new ArrayList<>(spec.getVolumes());
        for (PersistentVolumeClaim template : claimTemplates(sts)) {
            String volume = template.getMetadata().getName();
            volumes.removeIf(v -> v.getName().equals(volume));
            volumes.add(new VolumeBuilder().withName(volume).withNewPersistentVolumeClaim()
                    .withClaimName(claimName(volume, sts, ordinal)).endPersistentVolumeClaim().build());
        }
        spec.setVolumes(volumes);
        return new PodBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(name).withNamespace(sts.getMetadata().getNamespace())
                        .withLabels(labels).withAnnotations(annotations).withOwnerReferences(owner(sts, true)).build())
                .withSpec(spec)
                .build();
    }

    /** The claims of one pod; owned by the StatefulSet only when its retention policy deletes them with it. */
    public static List<PersistentVolumeClaim> claims(StatefulSet sts, int ordinal) {
        boolean deleteWithSet = sts.getSpec().getPersistentVolumeClaimRetentionPolicy() != null
                && "Delete".equals(sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted());
        List<PersistentVolumeClaim> claims = new ArrayList<>();
        for (PersistentVolumeClaim template : claimTemplates(sts)) {
            Map<String, String> labels = new HashMap<>();
            if (template.getMetadata().getLabels() != null) {
                labels.putAll(template.getMetadata().getLabels());
            }
            if (sts.getSpec().getSelector() != null && sts.getSpec().getSelector().getMatchLabels() != null) {
                labels.putAll(sts.getSpec().getSelector().getMatchLabels());
            }
            claims.add(new PersistentVolumeClaimBuilder()
                    .withNewMetadata().withName(claimName(template.getMetadata().getName(), sts, ordinal))
                    .withNamespace(sts.getMetadata().getNamespace()).withLabels(labels)
                    .withAnnotations(template.getMetadata().getAnnotations())
                    .withOwnerReferences(deleteWithSet ? List.of(owner(sts, false)) : List.of())
                    .endMetadata()
                    .withSpec(Serialization.clone(template.getSpec()))
                    .build());
        }
        return claims;
    }

    private static List<PersistentVolumeClaim> claimTemplates(StatefulSet sts) {
        return sts.getSpec().getVolumeClaimTemplates() == null ? List.of() : sts.getSpec().getVolumeClaimTemplates();
    }

    private static OwnerReference owner(StatefulSet sts, boolean controller) {
        return new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("StatefulSet")
                .withName(sts.getMetadata().getName()).withUid(sts.getMetadata().getUid())
                .withController(controller ? Boolean.TRUE : null).withBlockOwnerDeletion(true).build();
    }
}
