package io.cassandraoperator.local.kubelet;

import io.cassandraoperator.local.apiserver.LocalApiServer;
import io.cassandraoperator.local.network.LoopbackAddressPool;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The kubelet against the local API server, running a tiny Java test image (no Cassandra). */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KubeletTest {
    private static final String TEST_IMAGE = "test/container:1";
    private static final String NS = "default";

    @TempDir
    Path state;

    private LocalApiServer api;
    private KubernetesClient client;
    private Kubelet kubelet;

    @BeforeEach
    void startKubelet() {
        api = LocalApiServer.start(state.resolve("api-state"), 0, LoopbackAddressPool.serviceAddresses());
        client = api.newClient();
        ImageCatalog images = new ImageCatalog().register(TEST_IMAGE, new LocalImage(
                List.of(ImageCatalog.javaBinary(), "-Xmx32m", "-cp", Path.of("target/test-classes").toAbsolutePath().toString(),
                        TestContainerMain.class.getName()),
                Map.of("FROM_IMAGE", "image-value", "IMAGE_PATH", "/etc/members/of-this-machine")));
        kubelet = new Kubelet(client, images, LoopbackAddressPool.podAddresses(),
                KubeletSettings.defaults(state).withBackOff(Duration.ofMillis(200), Duration.ofSeconds(1))).start();
    }

    @AfterEach
    void stopKubelet() {
        kubelet.close();
        client.close();
        api.close();
    }

    @Test
    void resolvesEnvAndVolumesAndWaitsForTheClaimToBeBound() throws IOException {
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("members").endMetadata()
                .withData(Map.of("seeds", "127.0.2.2", "web-0", "127.0.2.2")).build()).create();
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("agent").endMetadata()
                .withData(Map.of("token", "czNjcjN0")).build()).create();
        client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("data-web-0").endMetadata().withNewSpec().endSpec().build()).create();
        Pod pod = testPod("web-0", container -> container
                .addNewEnv().withName("POD_IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP").endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("PLAIN").withValue("v-$(FROM_IMAGE)").endEnv()
                .addNewEnv().withName("POD_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("POD_NAMESPACE").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.namespace").endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("NODE").withNewValueFrom().withNewFieldRef().withFieldPath("spec.nodeName").endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("SEEDS").withNewValueFrom().withNewConfigMapKeyRef().withName("members").withKey("seeds").endConfigMapKeyRef().endValueFrom().endEnv()
                .addNewEnv().withName("TOKEN").withNewValueFrom().withNewSecretKeyRef().withName("agent").withKey("token").endSecretKeyRef().endValueFrom().endEnv()
                .addNewEnv().withName("ABSENT").withNewValueFrom().withNewSecretKeyRef().withName("nothing").withKey("k").withOptional(true).endSecretKeyRef().endValueFrom().endEnv()
                .addNewEnv().withName("DATA_DIR").withValue("/var/lib/data").endEnv()
                .addNewEnv().withName("COMMITLOG").withValue("/var/lib/data/commitlog").endEnv()
                .addNewEnv().withName("MEMBERS_DIR").withValue("/etc/members").endEnv()
                .addNewEnv().withName("ELSEWHERE").withValue("/var/lib/database").endEnv()
                .addNewVolumeMount().withName("data").withMountPath("/var/lib/data").endVolumeMount()
                .addNewVolumeMount().withName("members").withMountPath("/etc/members").endVolumeMount()
                .addNewVolumeMount().withName("token").withMountPath("/etc/token").endVolumeMount(), spec -> spec
                .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("data-web-0").endPersistentVolumeClaim().endVolume()
                .addNewVolume().withName("members").withNewConfigMap().withName("members").endConfigMap().endVolume()
                .addNewVolume().withName("token").withNewSecret().withSecretName("agent").endSecret().endVolume());
        create(pod);

        await().untilAsserted(() -> assertThat(container("web-0").getState().getWaiting())
                .satisfies(waiting -> assertThat(waiting.getReason()).isEqualTo("ContainerCreating"))
                .satisfies(waiting -> assertThat(waiting.getMessage()).contains("data-web-0", "not bound")));

        Path volumeDir = Files.createDirectories(state.resolve("nodes/node-1/volumes/pv-1"));
        client.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName("pv-1").endMetadata()
                .withNewSpec().withNewLocal().withPath(volumeDir.toString()).endLocal().endSpec().build()).create();
        client.persistentVolumeClaims().inNamespace(NS).withName("data-web-0")
                .edit(claim -> new PersistentVolumeClaimBuilder(claim).editSpec().withVolumeName("pv-1").endSpec().build());

        await().untilAsserted(() -> assertThat(log("web-0")).contains("STARTED"));
        String podIP = client.pods().inNamespace(NS).withName("web-0").get().getStatus().getPodIP();
        Path members = state.resolve("pods/default/web-0/volumes/members");
        assertThat(log("web-0")).contains(
                "ENV FROM_IMAGE=image-value", "ENV PLAIN=v-image-value", "ENV POD_NAME=web-0", "ENV POD_NAMESPACE=default",
                "ENV NODE=node-1", "ENV SEEDS=127.0.2.2", "ENV TOKEN=s3cr3t", "ENV POD_IP=" + podIP,
                "ENV DATA_DIR=" + volumeDir, "ENV COMMITLOG=" + volumeDir.resolve("commitlog"),
                "ENV MEMBERS_DIR=" + members, "ENV ELSEWHERE=/var/lib/database")
                .contains("ENV IMAGE_PATH=/etc/members/of-this-machine")
                .doesNotContain("ENV ABSENT");
        assertThat(podIP).startsWith("127.0.1.");
        assertThat(members.resolve("seeds")).hasContent("127.0.2.2");
        assertThat(members.resolve("web-0")).hasContent("127.0.2.2");
        assertThat(state.resolve("pods/default/web-0/volumes/token/token")).hasContent("s3cr3t");

        client.configMaps().inNamespace(NS).withName("members").edit(cm -> new ConfigMapBuilder(cm)
                .withData(Map.of("seeds", "127.0.2.2,127.0.2.3", "web-1", "127.0.2.3")).build());
        await().untilAsserted(() -> {
            assertThat(members.resolve("seeds")).hasContent("127.0.2.2,127.0.2.3");
            assertThat(members.resolve("web-1")).hasContent("127.0.2.3");
            assertThat(members.resolve("web-0")).doesNotExist();
        });
    }

    @Test
    void readinessProbeDecidesReadyAndPodStatus() throws IOException {
        Path unready = state.resolve("unready");
        create(testPod("web-0", container -> container
                .addNewEnv().withName("HTTP_PORT").withValue("8080").endEnv()
                .addNewEnv().withName("UNREADY_FILE").withValue(unready.toString()).endEnv()
                .addNewEnv().withName("POD_IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP").endFieldRef().endValueFrom().endEnv()
                .addNewPort().withName("agent").withContainerPort(8080).endPort()
                .withNewReadinessProbe().withNewHttpGet().withPath("/readyz").withNewPort("agent").endHttpGet()
                .withPeriodSeconds(1).withFailureThreshold(1).endReadinessProbe(), spec -> { }));

        await().untilAsserted(() -> {
            Pod pod = client.pods().inNamespace(NS).withName("web-0").get();
            assertThat(pod.getStatus()).isNotNull();
            assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
            assertThat(pod.getStatus().getHostIP()).isEqualTo("127.0.0.1");
            assertThat(pod.getStatus().getPodIP()).startsWith("127.0.1.");
            assertThat(conditions(pod)).containsEntry("PodScheduled", "True").containsEntry("Initialized", "True")
                    .containsEntry("ContainersReady", "True").containsEntry("Ready", "True");
            assertThat(pod.getStatus().getContainerStatuses().get(0).getReady()).isTrue();
        });

        Files.createFile(unready);
        await().untilAsserted(() -> assertThat(conditions(client.pods().inNamespace(NS).withName("web-0").get()))
                .containsEntry("Ready", "False").containsEntry("ContainersReady", "False"));
        assertThat(container("web-0").getState().getRunning()).isNotNull();
        assertThat(container("web-0").getRestartCount()).isZero();
    }

    @Test
    void failingLivenessProbeRestartsTheContainerGracefully() throws IOException {
        Path failing = Files.createFile(state.resolve("failing"));
        create(testPod("web-0", container -> container
                .addNewEnv().withName("HTTP_PORT").withValue("8080").endEnv()
                .addNewEnv().withName("UNREADY_FILE").withValue(failing.toString()).endEnv()
                .addNewEnv().withName("POD_IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP").endFieldRef().endValueFrom().endEnv()
                .withNewLivenessProbe().withNewHttpGet().withPath("/readyz").withNewPort(8080).endHttpGet()
                .withPeriodSeconds(1).withFailureThreshold(2).endLivenessProbe(), spec -> { }));

        await().untilAsserted(() -> {
            assertThat(container("web-0").getRestartCount()).isGreaterThanOrEqualTo(1);
            assertThat(container("web-0").getLastState().getTerminated()).isNotNull();
        });
        assertThat(log("web-0")).as("stopped with SIGTERM first").contains("TERM received");

        Files.delete(failing);
        int restarts = container("web-0").getRestartCount();
        await().untilAsserted(() -> assertThat(container("web-0").getState().getRunning()).isNotNull());
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(container("web-0").getRestartCount()).isLessThanOrEqualTo(restarts + 1));
    }

    @Test
    void restartsAnExitedContainerWithBackOff() {
        create(testPod("web-0", container -> container.addNewEnv().withName("EXIT_AFTER_MS").withValue("300").endEnv(),
                spec -> { }));

        await().untilAsserted(() -> {
            ContainerStatus status = container("web-0");
            assertThat(status.getRestartCount()).isGreaterThanOrEqualTo(2);
            assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(3);
            assertThat(status.getLastState().getTerminated().getReason()).isEqualTo("Error");
        });
        assertThat(log("web-0").split("STARTED", -1).length - 1).isGreaterThanOrEqualTo(2);
    }

    @Test
    void gracefulDeletionSendsSigtermThenKillsTheWholeTreeAfterTheGracePeriod() {
        create(testPod("web-0", container -> container
                .addNewEnv().withName("IGNORE_TERM").withValue("yes").endEnv()
                .addNewEnv().withName("CHILD").withValue("yes").endEnv(), spec -> { }));
        await().untilAsserted(() -> assertThat(log("web-0")).contains("STARTED", "CHILD "));
        ProcessHandle main = RecordedProcess.read(KubeletSettings.pidFile(state.resolve("pods/default/web-0"), "test"))
                .orElseThrow();
        ProcessHandle child = ProcessHandle.of(childPid(log("web-0"))).orElseThrow();
        assertThat(child.parent().map(ProcessHandle::pid)).contains(main.pid());

        client.pods().inNamespace(NS).withName("web-0").withGracePeriod(2).delete();

        await().untilAsserted(() -> assertThat(log("web-0")).contains("TERM received"));
        assertThat(main.isAlive()).as("ignores SIGTERM, so alive during the grace period").isTrue();
        assertThat(client.pods().inNamespace(NS).withName("web-0").get().getMetadata().getDeletionTimestamp()).isNotNull();
        await().untilAsserted(() -> assertThat(client.pods().inNamespace(NS).withName("web-0").get()).isNull());
        assertThat(main.isAlive()).isFalse();
        assertThat(child.isAlive()).isFalse();
    }

    @Test
    void unknownImageIsErrImagePull() {
        create(testPod("web-0", container -> container.withImage("nginx:1.27"), spec -> { }));

        await().untilAsserted(() -> assertThat(container("web-0").getState().getWaiting())
                .satisfies(waiting -> assertThat(waiting.getReason()).isEqualTo("ErrImagePull"))
                .satisfies(waiting -> assertThat(waiting.getMessage()).contains("nginx:1.27", "5.0.6", "5.0.7", "5.0.8")));
        assertThat(client.pods().inNamespace(NS).withName("web-0").get().getStatus().getPhase()).isEqualTo("Pending");
    }

    @Test
    void servesContainerLogsToTheApiServer() throws IOException {
        api.setPodLogSource(kubelet.logs());
        create(testPod("web-0", container -> container.withArgs("hello", "$(FROM_IMAGE)"), spec -> { }));
        await().untilAsserted(() -> assertThat(log("web-0")).contains("STARTED"));

        assertThat(client.pods().inNamespace(NS).withName("web-0").getLog()).contains("ARGS hello image-value", "STARTED");
        assertThat(client.pods().inNamespace(NS).withName("web-0").tailingLines(1).getLog()).isEqualTo("STARTED\n");
        try (InputStream follow = kubelet.logs().open(NS, "web-0", "test", 1, true)) {
            assertThat(new String(follow.readNBytes("STARTED\n".length()), StandardCharsets.UTF_8)).isEqualTo("STARTED\n");
        }
    }

    @Test
    void killedPodRestartsAndShutdownStopsEveryProcess() {
        create(testPod("web-0", container -> container.addNewEnv().withName("CHILD").withValue("yes").endEnv(),
                spec -> { }));
        await().untilAsserted(() -> assertThat(log("web-0")).contains("CHILD "));
        Path pidFile = KubeletSettings.pidFile(state.resolve("pods/default/web-0"), "test");
        ProcessHandle first = RecordedProcess.read(pidFile).orElseThrow();
        ProcessHandle firstChild = ProcessHandle.of(childPid(log("web-0"))).orElseThrow();

        assertThat(kubelet.killPod(NS, "web-0")).isTrue();

        await().untilAsserted(() -> {
            assertThat(container("web-0").getRestartCount()).isEqualTo(1);
            assertThat(container("web-0").getState().getRunning()).isNotNull();
        });
        assertThat(first.isAlive()).isFalse();
        assertThat(firstChild.isAlive()).isFalse();
        ProcessHandle second = RecordedProcess.read(pidFile).orElseThrow();
        assertThat(second.pid()).isNotEqualTo(first.pid());
        await().untilAsserted(() -> assertThat(log("web-0").split("CHILD ", -1).length - 1).isEqualTo(2));
        ProcessHandle secondChild = ProcessHandle.of(childPid(log("web-0"))).orElseThrow();

        kubelet.close();

        assertThat(second.isAlive()).isFalse();
        assertThat(secondChild.isAlive()).isFalse();
        assertThat(client.pods().inNamespace(NS).withName("web-0").get()).as("shutdown keeps the pod").isNotNull();
        assertThat(container("web-0").getState().getTerminated()).isNotNull();
    }

    private void create(Pod pod) {
        client.pods().inNamespace(NS).resource(pod).create();
    }

    private static Pod testPod(String name, Consumer<io.fabric8.kubernetes.api.model.PodSpecFluent<?>.ContainersNested<?>> container,
                               Consumer<io.fabric8.kubernetes.api.model.PodFluent<?>.SpecNested<?>> spec) {
        var builder = new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).withUid(name + "-uid")
                .endMetadata().withNewSpec().withNodeName("node-1").withTerminationGracePeriodSeconds(5L);
        var containerBuilder = builder.addNewContainer().withName("test").withImage(TEST_IMAGE);
        container.accept(containerBuilder);
        containerBuilder.endContainer();
        spec.accept(builder);
        return builder.endSpec().build();
    }

    private ContainerStatus container(String pod) {
        Pod current = client.pods().inNamespace(NS).withName(pod).get();
        assertThat(current.getStatus()).isNotNull();
        assertThat(current.getStatus().getContainerStatuses()).hasSize(1);
        return current.getStatus().getContainerStatuses().get(0);
    }

    private static Map<String, String> conditions(Pod pod) {
        return pod.getStatus().getConditions().stream()
                .collect(java.util.stream.Collectors.toMap(PodCondition::getType, PodCondition::getStatus));
    }

    private String log(String pod) {
        Optional<Path> file = kubelet.logs().file(NS, pod, "test");
        try {
            return file.isEmpty() ? "" : Files.readString(file.get());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long childPid(String log) {
        String[] parts = log.split("CHILD ");
        return Long.parseLong(parts[parts.length - 1].lines().findFirst().orElseThrow().trim());
    }
}
