package io.cassandraoperator.local;

import io.cassandraoperator.local.kubelet.ImageCatalog;
import io.cassandraoperator.local.kubelet.Kubelet;
import io.cassandraoperator.local.kubelet.KubeletSettings;
import io.cassandraoperator.local.kubelet.LocalImage;
import io.cassandraoperator.local.kubelet.TestContainerMain;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The control plane with the real kubelet and a tiny test image: a StatefulSet's pods become Ready on their volumes,
 * are reachable through their Service's ClusterIP, scale down gracefully, and come back after a restart of everything
 * on the same state directory, behind the same ClusterIP.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ControlPlaneWithKubeletTest {
    private static final String IMAGE = "test/container:1";

    @TempDir
    Path stateDir;

    @Test
    void statefulSetRunsBehindItsServiceAndSurvivesARestart() throws Exception {
        String clusterIp;
        String podUid;
        try (ControlPlane plane = ControlPlane.start(stateDir, 0); Kubelet kubelet = kubelet(plane)) {
            plane.setPodLogSource(kubelet.logs());
            KubernetesClient client = plane.client();
            clusterIp = client.services().resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
                    .withNewSpec().withSelector(Map.of("app", "web")).addNewPort().withPort(80)
                    .withTargetPort(new IntOrString(8080)).endPort().endSpec().build()).create()
                    .getSpec().getClusterIP();
            client.apps().statefulSets().resource(statefulSet()).create();

            await().atMost(Duration.ofSeconds(90)).until(() -> readyReplicas(client) == 2);
            for (Pod pod : client.pods().list().getItems()) {
                String claim = client.persistentVolumeClaims().withName("data-" + pod.getMetadata().getName()).get()
                        .getSpec().getVolumeName();
                assertThat(client.persistentVolumes().withName(claim).get().getSpec().getLocal().getPath())
                        .startsWith(stateDir.resolve("nodes").resolve(pod.getSpec().getNodeName()).toString());
            }
            assertThat(client.pods().withName("web-0").get().getSpec().getNodeName())
                    .isNotEqualTo(client.pods().withName("web-1").get().getSpec().getNodeName());
            await().ignoreExceptions().until(() -> get("http://" + clusterIp + "/readyz").equals("ok"));
            assertThat(client.pods().withName("web-0").getLog()).contains("STARTED");

            client.apps().statefulSets().withName("web").scale(1);
            await().atMost(Duration.ofSeconds(60)).until(() -> client.pods().withName("web-1").get() == null);
            assertThat(client.persistentVolumeClaims().withName("data-web-1").get()).isNotNull();
            podUid = client.pods().withName("web-0").get().getMetadata().getUid();
        }

        try (ControlPlane plane = ControlPlane.start(stateDir, 0); Kubelet kubelet = kubelet(plane)) {
            KubernetesClient client = plane.client();
            assertThat(client.services().withName("web").get().getSpec().getClusterIP()).isEqualTo(clusterIp);
            assertThat(client.pods().withName("web-0").get().getMetadata().getUid())
                    .as("the pod itself comes back; its kubelet starts it again").isEqualTo(podUid);
            await().atMost(Duration.ofSeconds(90)).until(() -> readyReplicas(client) == 1
                    && client.pods().withName("web-0").get().getStatus().getContainerStatuses().get(0)
                    .getState().getRunning() != null);
            await().ignoreExceptions().until(() -> get("http://" + clusterIp + "/readyz").equals("ok"));
        }
    }

    private Kubelet kubelet(ControlPlane plane) {
        ImageCatalog images = new ImageCatalog().register(IMAGE, new LocalImage(List.of(ImageCatalog.javaBinary(),
                "-Xmx32m", "-cp", Path.of("target/test-classes").toAbsolutePath().toString(),
                TestContainerMain.class.getName()), Map.of()));
        return new Kubelet(plane.newClient(), images, plane.podAddresses(),
                KubeletSettings.defaults(stateDir).withBackOff(Duration.ofMillis(200), Duration.ofSeconds(1))).start();
    }

    private static int readyReplicas(KubernetesClient client) {
        StatefulSet sts = client.apps().statefulSets().withName("web").get();
        return sts.getStatus() == null || sts.getStatus().getReadyReplicas() == null ? 0
                : sts.getStatus().getReadyReplicas();
    }

    private static String get(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static StatefulSet statefulSet() {
        return new StatefulSetBuilder().withNewMetadata().withName("web").endMetadata().withNewSpec()
                .withReplicas(2).withServiceName("web").withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec()
                .withTerminationGracePeriodSeconds(5L)
                .withNewAffinity().withNewPodAntiAffinity().addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withTopologyKey("kubernetes.io/hostname").withNewLabelSelector().addToMatchLabels("app", "web")
                .endLabelSelector().endRequiredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity()
                .endAffinity()
                .addNewContainer().withName("web").withImage(IMAGE)
                .addNewEnv().withName("POD_IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP")
                .endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("HTTP_PORT").withValue("8080").endEnv()
                .addNewPort().withName("http").withContainerPort(8080).endPort()
                .withNewReadinessProbe().withNewHttpGet().withPath("/readyz").withPort(new IntOrString(8080))
                .endHttpGet().withPeriodSeconds(1).endReadinessProbe()
                .addNewVolumeMount().withName("data").withMountPath("/var/lib/web").endVolumeMount()
                .endContainer().endSpec().endTemplate()
                .addNewVolumeClaimTemplate().withNewMetadata().withName("data").endMetadata().withNewSpec()
                .withAccessModes("ReadWriteOnce").withNewResources().addToRequests("storage", new Quantity("1Gi"))
                .endResources().endSpec().endVolumeClaimTemplate()
                .endSpec().build();
    }
}
