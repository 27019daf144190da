package io.cassandraoperator.local.controllers;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class StatefulSetControllerTest {
    @RegisterExtension
    static final ControlPlaneFixture fixture = new ControlPlaneFixture();

    @Test
    void createsPodsInOrderScalesDownFromTheTopAndKeepsClaims() {
        fixture.kubelet.unready.addAll(List.of("db-0", "db-1", "db-2"));
        StatefulSet sts = fixture.client.apps().statefulSets().resource(statefulSet("db", 3, "v1")).create();

        await().until(() -> pod("db-0") != null);
        assertThat(fixture.client.persistentVolumeClaims().withName("data-db-0").get()).isNotNull();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> pod("db-1") == null);

        fixture.kubelet.unready.remove("db-0");
        await().until(() -> pod("db-1") != null);
        assertThat(pod("db-2")).as("db-2 waits for db-1 to be ready").isNull();
        fixture.kubelet.unready.clear();
        await().until(() -> readyReplicas("db") == 3);

        Pod first = pod("db-0");
        assertThat(first.getMetadata().getLabels())
                .containsEntry("statefulset.kubernetes.io/pod-name", "db-0")
                .containsEntry("app", "db")
                .containsKey("controller-revision-hash");
        assertThat(first.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(sts.getMetadata().getUid()));
        assertThat(first.getSpec().getVolumes()).anySatisfy(v ->
                assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("data-db-0"));
        StatefulSet withStatus = fixture.client.apps().statefulSets().withName("db").get();
        assertThat(withStatus.getStatus().getReplicas()).isEqualTo(3);
        assertThat(withStatus.getStatus().getUpdatedReplicas()).isEqualTo(3);
        assertThat(withStatus.getStatus().getObservedGeneration()).isEqualTo(1L);
        assertThat(withStatus.getStatus().getCurrentRevision()).isEqualTo(withStatus.getStatus().getUpdateRevision());

        fixture.kubelet.stuckTerminating.addAll(List.of("db-1", "db-2"));
        fixture.client.apps().statefulSets().withName("db").scale(1);
        await().until(() -> pod("db-2").getMetadata().getDeletionTimestamp() != null);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> pod("db-1").getMetadata().getDeletionTimestamp() == null);
        fixture.kubelet.stuckTerminating.clear();
        await().until(() -> pod("db-2") == null && pod("db-1") == null);
        assertThat(pod("db-0")).isNotNull();
        assertThat(fixture.client.persistentVolumeClaims().list().getItems()).extracting(c -> c.getMetadata().getName())
                .contains("data-db-0", "data-db-1", "data-db-2");
    }

    @Test
    void rollsTemplateChangesFromTheHighestOrdinalOneAtATime() {
        fixture.client.apps().statefulSets().resource(statefulSet("roll", 3, "v1")).create();
        await().until(() -> readyReplicas("roll") == 3);
        String oldRevision = fixture.client.apps().statefulSets().withName("roll").get().getStatus().getUpdateRevision();

        List<String> deleted = new CopyOnWriteArrayList<>();
        try (Watch ignored = fixture.client.pods().watch(new Watcher<Pod>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (action == Action.DELETED && pod.getMetadata().getName().startsWith("roll-")) {
                    deleted.add(pod.getMetadata().getName());
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            fixture.client.apps().statefulSets().withName("roll")
                    .edit(s -> new StatefulSetBuilder(statefulSet("roll", 3, "v2"))
                            .withMetadata(s.getMetadata()).build());
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                StatefulSet s = fixture.client.apps().statefulSets().withName("roll").get();
                return s.getStatus().getUpdatedReplicas() == 3 && s.getStatus().getReadyReplicas() == 3
                        && s.getStatus().getCurrentRevision().equals(s.getStatus().getUpdateRevision());
            });
        }
        assertThat(deleted).containsExactly("roll-2", "roll-1", "roll-0");
        StatefulSet done = fixture.client.apps().statefulSets().withName("roll").get();
        assertThat(done.getStatus().getUpdateRevision()).isNotEqualTo(oldRevision);
        assertThat(done.getStatus().getObservedGeneration()).isEqualTo(2L);
    }

    static Pod pod(String name) {
        return fixture.client.pods().withName(name).get();
    }

    static int readyReplicas(String sts) {
        StatefulSet s = fixture.client.apps().statefulSets().withName(sts).get();
        return s.getStatus() == null || s.getStatus().getReadyReplicas() == null ? 0 : s.getStatus().getReadyReplicas();
    }

    static StatefulSet statefulSet(String name, int replicas, String version) {
        return new StatefulSetBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas).withServiceName(name)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("x:1")
                .addNewEnv().withName("VERSION").withValue(version).endEnv().endContainer().endSpec()
                .endTemplate()
                .addNewVolumeClaimTemplate().withNewMetadata().withName("data").endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
                .addToRequests("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi")).endResources()
                .endSpec().endVolumeClaimTemplate()
                .endSpec().build();
    }
}
