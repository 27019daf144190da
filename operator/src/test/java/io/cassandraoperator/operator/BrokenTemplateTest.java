package io.cassandraoperator.operator;

import io.cassandraoperator.api.Contract.Labels;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.operator.model.RackStatefulSet;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static io.cassandraoperator.operator.OperatorHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 17, rule 6: a template that leaves the newest member unready can be fixed. The fake controllers do not roll
 * pods, so this test plays the StatefulSet controller's part: revision labels on the pods, update and current
 * revisions on the StatefulSet, and the rolled member's container waiting in ErrImagePull.
 */
class BrokenTemplateTest {
    private static final Duration STEP = Duration.ofSeconds(20);
    private static final String SET = "c-dc1-rack1";
    private static final String BROKEN = SET + "-2";
    @RegisterExtension
    final OperatorHarness harness = new OperatorHarness();

    @Test
    void aVersionThatNeverRanIsSetBackAndThePodLeftOnItIsDeletedKeepingItsClaim() {
        harness.createReady("c", 3);
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            labelRevision(SET + "-" + ordinal, "good");
            running(SET + "-" + ordinal);
        }
        harness.controllers.holdRollout = true;
        harness.controllers.autoReady = false;
        reportRevisions("good", "good");
        await().atMost(STEP).until(() -> "5.0.6".equals(harness.status("c").getDataVersion()));

        harness.editSpec("c", c -> c.getSpec().setVersion("5.0.99"));
        await().atMost(STEP).until(() -> image().endsWith(":5.0.99"));
        // The controller rolled the highest member onto the new revision, whose image cannot be pulled.
        reportRevisions("good", "bad");
        labelRevision(BROKEN, "bad");
        stuckInErrImagePull(BROKEN);
        String claim = claimUid(BROKEN);
        await().atMost(STEP).until(() -> harness.condition("c", "Progressing")
                .map(c -> c.getMessage().contains(BROKEN) && c.getMessage().contains("ErrImagePull")).orElse(false));
        assertThat(harness.status("c").getDataVersion()).as("5.0.99 never ran").isEqualTo("5.0.6");

        harness.editSpec("c", c -> c.getSpec().setVersion("5.0.5"));
        await().atMost(STEP).until(() -> harness.condition("c", "Degraded")
                .map(c -> EventReason.VersionDowngradeRefused.name().equals(c.getReason()) && c.getMessage().contains("5.0.6")).orElse(false));
        assertThat(image()).as("below the data's version: refused, nothing written").endsWith(":5.0.99");

        String brokenPod = podUid(BROKEN);
        harness.editSpec("c", c -> c.getSpec().setVersion("5.0.6"));
        await().atMost(STEP).until(() -> image().endsWith(":5.0.6"));
        assertThat(harness.events(EventReason.TemplateCorrected)).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains(BROKEN).contains("bad"));
        assertThat(podUid(BROKEN)).as("nothing is deleted before the controller has seen the fixed template").isEqualTo(brokenPod);

        // The controller sees the fixed template but, as kubernetes/kubernetes#67250, waits for the stuck pod forever.
        reportRevisions("good", "good");
        await().atMost(STEP).until(() -> !brokenPod.equals(podUid(BROKEN)));
        assertThat(harness.events(EventReason.StuckPodDeleted)).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains(BROKEN).contains("ErrImagePull"));
        assertThat(claimUid(BROKEN)).as("the member's claim is kept").isEqualTo(claim);
        harness.controllers.autoReady = true;
        harness.awaitReady("c", 3);
    }

    @Test
    void aMemberNotReadyOnAnOlderRevisionStillHoldsTemplatesBackAndIsNotDeleted() throws InterruptedException {
        harness.createReady("c", 3);
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            labelRevision(SET + "-" + ordinal, "good");
        }
        harness.controllers.holdRollout = true;
        harness.controllers.autoReady = false;
        reportRevisions("good", "good");
        String member = SET + "-0";
        stuckInErrImagePull(member);
        String pod = podUid(member);
        await().atMost(STEP).until(() -> harness.conditionIs("c", "Ready", "False"));

        harness.editSpec("c", c -> c.getSpec().setVersion("5.0.7"));
        await().atMost(STEP).until(() -> harness.condition("c", "Progressing")
                .map(c -> c.getMessage().contains("waiting to roll out rack rack1") || c.getMessage().contains(member)).orElse(false));
        Thread.sleep(Duration.ofSeconds(3).toMillis()); // rounds that could write the template or delete the pod
        assertThat(image()).as("a member unready on the current revision is not the new template's doing").endsWith(":5.0.6");
        assertThat(podUid(member)).as("a pod of the update revision is the controller's to handle").isEqualTo(pod);
        assertThat(harness.events(EventReason.TemplateCorrected)).isEmpty();
        assertThat(harness.events(EventReason.StuckPodDeleted)).isEmpty();
    }

    private String image() {
        return harness.statefulSet(SET).getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> RackStatefulSet.CONTAINER.equals(c.getName())).findFirst().orElseThrow().getImage();
    }

    private void reportRevisions(String current, String update) {
        StatefulSet set = harness.statefulSet(SET);
        harness.api.client.apps().statefulSets().inNamespace(NAMESPACE).withName(SET).editStatus(s -> {
            s.setStatus(new StatefulSetStatusBuilder().withObservedGeneration(set.getMetadata().getGeneration())
                    .withReplicas(3).withUpdatedReplicas(current.equals(update) ? 3 : 1)
                    .withCurrentRevision(current).withUpdateRevision(update).build());
            return s;
        });
    }

    private void labelRevision(String pod, String revision) {
        harness.api.client.pods().inNamespace(NAMESPACE).withName(pod).edit(p -> {
            p.getMetadata().getLabels().put(Labels.REVISION, revision);
            return p;
        });
    }

    private void running(String pod) {
        harness.api.client.pods().inNamespace(NAMESPACE).withName(pod).editStatus(p -> {
            p.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName(RackStatefulSet.CONTAINER)
                    .withRestartCount(0).withReady(true).withNewState().withNewRunning().endRunning().endState().build()));
            return p;
        });
    }

    private void stuckInErrImagePull(String pod) {
        harness.api.client.pods().inNamespace(NAMESPACE).withName(pod).editStatus(p -> {
            p.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus("False").build()));
            p.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName(RackStatefulSet.CONTAINER)
                    .withRestartCount(0).withReady(false)
                    .withNewState().withNewWaiting().withReason("ErrImagePull").withMessage("image not found").endWaiting().endState()
                    .build()));
            return p;
        });
    }

    private String podUid(String pod) {
        var found = harness.api.client.pods().inNamespace(NAMESPACE).withName(pod).get();
        return found == null ? null : found.getMetadata().getUid();
    }

    private String claimUid(String member) {
        return harness.api.client.persistentVolumeClaims().inNamespace(NAMESPACE).withName("data-" + member).get().getMetadata().getUid();
    }
}
