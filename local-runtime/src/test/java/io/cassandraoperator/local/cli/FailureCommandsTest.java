package io.cassandraoperator.local.cli;

import io.cassandraoperator.local.ControlPlane;
import io.cassandraoperator.local.kubelet.ImageCatalog;
import io.cassandraoperator.local.kubelet.Kubelet;
import io.cassandraoperator.local.kubelet.KubeletSettings;
import io.cassandraoperator.local.kubelet.LocalImage;
import io.cassandraoperator.local.kubelet.RecordedProcess;
import io.cassandraoperator.local.kubelet.TestContainerMain;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The CLI's failure commands against a control plane and kubelet running a small test image: kill-pod (the kubelet
 * restarts the killed container), wipe-disk (the claim's directory is emptied), delete-node (its pod's processes die).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FailureCommandsTest {
    private static final String IMAGE = "test/container:1";

    @TempDir
    Path state;

    @Test
    void killPodWipeDiskAndDeleteNode() throws Exception {
        try (ControlPlane plane = ControlPlane.start(state, 0); Kubelet kubelet = kubelet(plane)) {
            KubernetesClient client = plane.client();
            client.apps().statefulSets().resource(statefulSet()).create();
            await().atMost(Duration.ofSeconds(90)).until(() -> running(client) && restarts(client) == 0);
            Path pidFile = KubeletSettings.pidFile(state.resolve("pods/default/web-0"), "web");
            ProcessHandle first = RecordedProcess.read(pidFile).orElseThrow();

            assertThat(cli("kill-pod", "web-0")).isZero();

            assertThat(first.isAlive()).isFalse();
            await().atMost(Duration.ofSeconds(30)).until(() -> running(client) && restarts(client) == 1);
            ProcessHandle second = RecordedProcess.read(pidFile).orElseThrow();

            String volume = client.persistentVolumeClaims().withName("data-web-0").get().getSpec().getVolumeName();
            Path disk = Path.of(client.persistentVolumes().withName(volume).get().getSpec().getLocal().getPath());
            Files.writeString(disk.resolve("sstable"), "rows");
            Files.createDirectories(disk.resolve("commitlog")).resolve("segment").toFile().createNewFile();

            assertThat(cli("wipe-disk", "data-web-0")).isZero();

            assertThat(disk).isEmptyDirectory();

            String node = client.pods().withName("web-0").get().getSpec().getNodeName();
            assertThat(cli("delete-node", node)).isZero();

            await().atMost(Duration.ofSeconds(30)).until(() -> !second.isAlive());
            assertThat(client.nodes().withName(node).get()).isNull();
            assertThat(cli("kill-pod", "no-such-pod")).isEqualTo(1);
        }
    }

    private int cli(String... args) {
        String[] withState = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--state-dir", state.toString())).toArray(String[]::new);
        return new CommandLine(new CassandraLocal()).execute(withState);
    }

    private Kubelet kubelet(ControlPlane plane) {
        ImageCatalog images = new ImageCatalog().register(IMAGE, new LocalImage(List.of(ImageCatalog.javaBinary(),
                "-Xmx32m", "-cp", Path.of("target/test-classes").toAbsolutePath().toString(),
                TestContainerMain.class.getName()), Map.of()));
        return new Kubelet(plane.newClient(), images, plane.podAddresses(),
                KubeletSettings.defaults(state).withBackOff(Duration.ofMillis(200), Duration.ofSeconds(1))).start();
    }

    private static boolean running(KubernetesClient client) {
        Pod pod = client.pods().withName("web-0").get();
        return pod != null && pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null
                && !pod.getStatus().getContainerStatuses().isEmpty()
                && pod.getStatus().getContainerStatuses().get(0).getState().getRunning() != null;
    }

    private static int restarts(KubernetesClient client) {
        return client.pods().withName("web-0").get().getStatus().getContainerStatuses().get(0).getRestartCount();
    }

    private static io.fabric8.kubernetes.api.model.apps.StatefulSet statefulSet() {
        return new StatefulSetBuilder().withNewMetadata().withName("web").endMetadata().withNewSpec()
                .withReplicas(1).withServiceName("web").withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec()
                .withTerminationGracePeriodSeconds(5L)
                .addNewContainer().withName("web").withImage(IMAGE)
                .addNewVolumeMount().withName("data").withMountPath("/var/lib/web").endVolumeMount()
                .endContainer().endSpec().endTemplate()
                .addNewVolumeClaimTemplate().withNewMetadata().withName("data").endMetadata().withNewSpec()
                .withAccessModes("ReadWriteOnce").withNewResources().addToRequests("storage", new Quantity("1Gi"))
                .endResources().endSpec().endVolumeClaimTemplate()
                .endSpec().build();
    }
}
