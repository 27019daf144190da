package io.cassandraoperator.operator;

import io.cassandraoperator.api.Contract.Labels;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.api.agent.OperationState;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.cassandraoperator.operator.OperatorHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Replacement of a lost member on an empty disk under its own address, with the operator restarted between steps. */
class ReplacementTest {
    private static final Duration STEP = Duration.ofSeconds(20);
    @RegisterExtension
    final OperatorHarness harness = new OperatorHarness();

    private PersistentVolumeClaim claim(String member) {
        return harness.api.client.persistentVolumeClaims().inNamespace(NAMESPACE).withName("data-" + member).get();
    }

    private String nodeOf(String member) {
        PersistentVolume volume = harness.api.client.persistentVolumes().withName(claim(member).getSpec().getVolumeName()).get();
        return FakeControllers.nodeOf(volume);
    }

    private Map<String, String> membersConfig() {
        return harness.api.client.configMaps().inNamespace(NAMESPACE).withName("c-members").get().getData();
    }

    private Map<String, String> records(String member) {
        Map<String, String> annotations = harness.service(member).getMetadata().getAnnotations();
        return annotations == null ? Map.of() : annotations;
    }

    @Test
    void aMemberWhoseNodeIsDeletedIsReplacedOnAnotherNodeKeepingItsAddress() {
        harness.create(TestClusters.withNodeLoss(TestClusters.cluster("c", NAMESPACE, 3), true, "10s"));
        harness.awaitReady("c", 3);
        await().atMost(STEP).until(() -> harness.controllers.claimUids.size() == 3 && harness.agents.repairRuns().isEmpty());
        String member = "c-dc1-rack1-1";
        String address = harness.service(member).getSpec().getClusterIP();
        String lostNode = nodeOf(member);
        harness.agents.repairOutcome = OperationState.RUNNING;

        harness.api.client.nodes().withName(lostNode).delete();

        await().atMost(STEP.multipliedBy(2)).until(() -> harness.conditionIs("c", "Progressing", "True")
                && harness.condition("c", "Progressing").get().getMessage().contains("replacing member " + member));
        assertThat(harness.condition("c", "Progressing").get().getMessage()).contains("[" + FakeControllers.hostname(lostNode) + "]");
        // Back on an empty claim elsewhere, ready, and repaired while the mark is still there.
        await().atMost(STEP).until(() -> harness.agents.repairPosts(member) == 1);
        assertThat(membersConfig()).containsEntry(member + ".replace", address);
        assertThat(nodeOf(member)).isNotEqualTo(lostNode);
        assertThat(harness.controllers.claimUids.get(member)).hasSize(2);
        assertThat(claim(member).getMetadata().getUid()).isEqualTo(harness.controllers.claimUids.get(member).get(1));

        harness.agents.finishRepairs(OperationState.DONE);
        harness.awaitReady("c", 3);
        await().atMost(STEP).until(() -> !membersConfig().containsKey(member + ".replace") && !records(member).containsKey(Contract.Annotations.REPLACE_CAUSE));
        assertThat(harness.service(member).getSpec().getClusterIP()).isEqualTo(address);
        assertThat(membersConfig()).containsEntry(member, address);
        assertThat(records(member)).doesNotContainKeys(Contract.Annotations.REPLACE_CLAIMS, Contract.Annotations.REPAIR_RUN);
        assertThat(harness.events(EventReason.ReplacementStarted)).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains(FakeControllers.hostname(lostNode)));
        assertThat(harness.events(EventReason.ReplacementFinished)).hasSize(1);
        assertThat(harness.agents.repairRuns()).hasSize(1);
        assertThat(harness.controllers.claimUids.get("c-dc1-rack1-0")).hasSize(1);
        assertThat(harness.controllers.claimUids.get("c-dc1-rack1-2")).hasSize(1);
        assertThat(harness.controllers.violations).isEmpty();
    }

    @Test
    void aRequestedReplacementResumesAfterRestartsAtEveryStepAndHappensOnce() {
        harness.createReady("c", 3);
        String member = "c-dc1-rack1-2";
        String address = harness.service(member).getSpec().getClusterIP();
        String firstClaim = claim(member).getMetadata().getUid();
        harness.controllers.autoReady = false;
        harness.agents.repairOutcome = OperationState.RUNNING;

        // Step 1: the record. The operator is stopped as soon as it is written.
        harness.api.client.services().inNamespace(NAMESPACE).withName(member)
                .edit(s -> { s.getMetadata().getLabels().put(Labels.REPLACE, "disk errors"); return s; });
        await().atMost(STEP).until(() -> records(member).containsKey(Contract.Annotations.REPLACE_CAUSE));
        harness.stopOperator();
        assertThat(records(member).get(Contract.Annotations.REPLACE_CLAIMS)).isEqualTo(firstClaim);
        String runId = records(member).get(Contract.Annotations.REPAIR_RUN);

        // Steps 2 and 3: a new operator writes the mark, then gives up the claim and the pod, once.
        harness.startOperator();
        await().atMost(STEP).until(() -> harness.controllers.claimUids.get(member).size() == 2
                && harness.api.client.pods().inNamespace(NAMESPACE).withName(member).get() != null);
        harness.stopOperator();
        assertThat(membersConfig()).containsEntry(member + ".replace", address);
        assertThat(records(member)).containsEntry(Contract.Annotations.REPAIR_RUN, runId);

        // Step 4: a new operator waits for the member to be ready, then starts the repair.
        harness.startOperator();
        await().during(Duration.ofMillis(500)).atMost(STEP).until(() -> harness.agents.repairPosts(member) == 0);
        harness.controllers.markReady(member);
        await().atMost(STEP).until(() -> harness.agents.repairPosts(member) == 1);
        harness.stopOperator();

        // Step 5: a new operator polls the running repair without starting another, then finishes.
        harness.startOperator();
        await().during(Duration.ofMillis(500)).atMost(STEP).until(() -> records(member).containsKey(Contract.Annotations.REPLACE_CAUSE));
        harness.agents.finishRepairs(OperationState.DONE);
        await().atMost(STEP).until(() -> !records(member).containsKey(Contract.Annotations.REPLACE_CAUSE));
        harness.awaitReady("c", 3);
        Service service = harness.service(member);
        assertThat(service.getMetadata().getLabels()).doesNotContainKey(Labels.REPLACE);
        assertThat(service.getSpec().getClusterIP()).isEqualTo(address);
        await().atMost(STEP).until(() -> !membersConfig().containsKey(member + ".replace"));
        assertThat(harness.controllers.claimUids.get(member)).as("the claim was given up exactly once").hasSize(2);
        assertThat(harness.agents.repairRuns()).containsExactly(member + "/" + runId);
        assertThat(harness.events(EventReason.ReplacementStarted)).hasSize(1);
        assertThat(harness.events(EventReason.ReplacementFinished)).hasSize(1);
        assertThat(harness.controllers.violations).isEmpty();
    }

    /** The pod's status as the kubelet shows a container that exited with {@code exitCode} and waits to be restarted. */
    private void crashLoop(String member, int exitCode) {
        harness.api.client.pods().inNamespace(NAMESPACE).withName(member).editStatus(p -> {
            p.getStatus().getConditions().forEach(c -> c.setStatus("False"));
            p.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName("cassandra").withReady(false).withRestartCount(2)
                    .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                    .withNewLastState().withNewTerminated().withExitCode(exitCode).withReason("Error").endTerminated().endLastState()
                    .build()));
            return p;
        });
    }

    @Test
    void aMemberWhoseAgentReportsALostVolumeIsReplacedOnceAndAnyOtherCrashLoopIsNot() {
        harness.createReady("c", 3);
        String member = "c-dc1-rack1-1";
        String address = harness.service(member).getSpec().getClusterIP();
        harness.controllers.autoReady = false;

        // A crash loop for any other reason: its data may be intact, nothing is given up.
        crashLoop(member, 3);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> !records(member).containsKey(Contract.Annotations.REPLACE_CAUSE));
        assertThat(harness.controllers.claimUids.get(member)).hasSize(1);

        // The agent's exit code says the volume is empty while the ring knows the address: replaced, resumed after a restart.
        crashLoop(member, Contract.AgentExit.VOLUME_LOST);
        await().atMost(STEP).until(() -> records(member).containsKey(Contract.Annotations.REPLACE_CAUSE));
        harness.stopOperator();
        assertThat(records(member).get(Contract.Annotations.REPLACE_CAUSE)).contains("exit code " + Contract.AgentExit.VOLUME_LOST);
        harness.startOperator();
        await().atMost(STEP).until(() -> harness.controllers.claimUids.get(member).size() == 2);
        assertThat(membersConfig()).containsEntry(member + ".replace", address);
        harness.controllers.markReady(member);
        harness.awaitReady("c", 3);
        await().atMost(STEP).until(() -> !records(member).containsKey(Contract.Annotations.REPLACE_CAUSE) && !membersConfig().containsKey(member + ".replace"));
        assertThat(harness.service(member).getSpec().getClusterIP()).isEqualTo(address);
        assertThat(harness.controllers.claimUids.get(member)).as("the claim was given up exactly once").hasSize(2);
        assertThat(harness.agents.repairRuns()).hasSize(1);
        assertThat(harness.events(EventReason.ReplacementStarted)).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("exit code " + Contract.AgentExit.VOLUME_LOST));
        assertThat(harness.events(EventReason.ReplacementFinished)).hasSize(1);
        assertThat(harness.controllers.claimUids.get("c-dc1-rack1-0")).hasSize(1);
        assertThat(harness.controllers.claimUids.get("c-dc1-rack1-2")).hasSize(1);
        assertThat(harness.agents.misdirected).as("every agent call named its member").hasValue(0);
        assertThat(harness.controllers.violations).isEmpty();
    }
}
