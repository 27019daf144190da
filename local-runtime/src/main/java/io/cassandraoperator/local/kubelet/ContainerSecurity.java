package io.cassandraoperator.local.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The effective security context of one container, merged as the kubelet does (the container's fields over the pod's,
 * the image's user when neither sets one): the uid and gid its processes run as, their supplementary groups (the pod's
 * fsGroup and supplementalGroups), and what the container asks of its file system.
 *
 * @param uid                    the user; 0 when neither the pod, the container nor the image names one (root)
 * @param gid                    the primary group; 0 when neither the pod, the container nor the image names one
 * @param groups                 supplementary groups: fsGroup first, then supplementalGroups
 * @param runAsNonRoot           whether the container must not run as uid 0
 * @param uidFromSpec            whether the uid comes from the pod or container (not from the image)
 * @param readOnlyRootFilesystem whether everything outside the container's volumes is read-only to it
 * @param noNewPrivileges        {@code allowPrivilegeEscalation: false}
 */
record ContainerSecurity(long uid, long gid, List<Long> groups, boolean runAsNonRoot, boolean uidFromSpec,
                         boolean readOnlyRootFilesystem, boolean noNewPrivileges) {
    ContainerSecurity {
        groups = List.copyOf(groups);
    }

    static ContainerSecurity of(Pod pod, Container container, LocalImage image) {
        PodSecurityContext podContext = Objects.requireNonNullElseGet(pod.getSpec().getSecurityContext(),
                PodSecurityContext::new);
        SecurityContext own = Objects.requireNonNullElseGet(container.getSecurityContext(), SecurityContext::new);
        Long specUid = first(own.getRunAsUser(), podContext.getRunAsUser());
        Long specGid = first(own.getRunAsGroup(), podContext.getRunAsGroup());
        List<Long> groups = new ArrayList<>();
        if (podContext.getFsGroup() != null) {
            groups.add(podContext.getFsGroup());
        }
        if (podContext.getSupplementalGroups() != null) {
            podContext.getSupplementalGroups().stream().filter(group -> !groups.contains(group)).forEach(groups::add);
        }
        return new ContainerSecurity(
                specUid != null ? specUid : Objects.requireNonNullElse(image.user(), 0L),
                specGid != null ? specGid : Objects.requireNonNullElse(image.group(), 0L),
                groups,
                Boolean.TRUE.equals(first(own.getRunAsNonRoot(), podContext.getRunAsNonRoot())),
                specUid != null,
                Boolean.TRUE.equals(own.getReadOnlyRootFilesystem()),
                Boolean.FALSE.equals(own.getAllowPrivilegeEscalation()));
    }

    /** The fsGroup of the pod, which its volumes are given to (null when the pod sets none). */
    static Long fsGroup(Pod pod) {
        PodSecurityContext context = pod.getSpec().getSecurityContext();
        return context == null ? null : context.getFsGroup();
    }

    /** The kubelet's refusal of a container that asks runAsNonRoot and would run as root (its words, verifyRunAsNonRoot). */
    Optional<String> nonRootRefusal(Pod pod, Container container) {
        if (!runAsNonRoot || uid != 0) {
            return Optional.empty();
        }
        String described = "(pod: \"" + pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "("
                + pod.getMetadata().getUid() + ")\", container: " + container.getName() + ")";
        return Optional.of(uidFromSpec
                ? "container's runAsUser breaks non-root policy " + described
                : "container has runAsNonRoot and image will run as root " + described);
    }

    private static <T> T first(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }
}
