package io.cassandraoperator.local.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The container's security context over the pod's, the image's user when neither names one. */
class ContainerSecurityTest {
    private static final LocalImage NO_USER = new LocalImage(List.of("true"), Map.of());
    private static final LocalImage CASSANDRA = new LocalImage(List.of("true"), Map.of(), 999L, 999L, Path.of("/img"));

    @Test
    void containerFieldsWinOverThePodsAndGroupsComeFromThePod() {
        Container container = new ContainerBuilder().withName("c").withSecurityContext(new SecurityContextBuilder()
                .withRunAsUser(10L).withReadOnlyRootFilesystem(true).withAllowPrivilegeEscalation(false).build()).build();
        Pod pod = pod(new PodSecurityContextBuilder().withRunAsUser(20L).withRunAsGroup(30L).withFsGroup(40L)
                .withSupplementalGroups(50L, 40L).withRunAsNonRoot(true).build(), container);

        ContainerSecurity security = ContainerSecurity.of(pod, container, CASSANDRA);

        assertThat(security).isEqualTo(new ContainerSecurity(10, 30, List.of(40L, 50L), true, true, true, true));
        assertThat(security.nonRootRefusal(pod, container)).isEmpty();
    }

    @Test
    void theImagesUserAppliesWhenThePodNamesNone() {
        Container container = new ContainerBuilder().withName("c").build();
        Pod pod = pod(null, container);

        assertThat(ContainerSecurity.of(pod, container, CASSANDRA))
                .isEqualTo(new ContainerSecurity(999, 999, List.of(), false, false, false, false));
        assertThat(ContainerSecurity.of(pod, container, NO_USER))
                .isEqualTo(new ContainerSecurity(0, 0, List.of(), false, false, false, false));
    }

    @Test
    void runAsNonRootRefusesRootFromTheSpecAndFromTheImageInTheKubeletsWords() {
        Container container = new ContainerBuilder().withName("cassandra").build();
        Pod explicitRoot = pod(new PodSecurityContextBuilder().withRunAsNonRoot(true).withRunAsUser(0L).build(), container);
        Pod imageRoot = pod(new PodSecurityContextBuilder().withRunAsNonRoot(true).build(), container);

        assertThat(ContainerSecurity.of(explicitRoot, container, CASSANDRA).nonRootRefusal(explicitRoot, container))
                .contains("container's runAsUser breaks non-root policy (pod: \"m-0_ns(u-1)\", container: cassandra)");
        assertThat(ContainerSecurity.of(imageRoot, container, NO_USER).nonRootRefusal(imageRoot, container))
                .contains("container has runAsNonRoot and image will run as root (pod: \"m-0_ns(u-1)\", container: cassandra)");
        assertThat(ContainerSecurity.of(imageRoot, container, CASSANDRA).nonRootRefusal(imageRoot, container))
                .as("the image's own user is not root").isEmpty();
    }

    private static Pod pod(io.fabric8.kubernetes.api.model.PodSecurityContext context, Container container) {
        return new PodBuilder().withNewMetadata().withName("m-0").withNamespace("ns").withUid("u-1").endMetadata()
                .withNewSpec().withSecurityContext(context).withContainers(container).endSpec().build();
    }
}
