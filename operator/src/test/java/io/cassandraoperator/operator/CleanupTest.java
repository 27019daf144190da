package io.cassandraoperator.operator;

import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.api.agent.OperationState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.cassandraoperator.operator.OperatorHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Cleanup after a scale-out: the members that were there run it, one at a time, recorded on their Services. */
class CleanupTest {
    private static final Duration STEP = Duration.ofSeconds(20);
    @RegisterExtension
    final OperatorHarness harness = new OperatorHarness();

    private Map<String, String> annotations(String member) {
        return harness.service(member).getMetadata().getAnnotations();
    }

    @Test
    void theMembersThatWereThereCleanUpOneAtATimeAcrossRestarts() {
        harness.createReady("c", 3);
        // While the cluster was created, members 0 and 1 handed ranges to later members.
        assertThat(harness.agents.cleanupOrder()).containsExactly("c-dc1-rack1-0", "c-dc1-rack1-1");

        harness.agents.cleanupOutcome = OperationState.RUNNING;
        harness.editSpec("c", c -> c.getSpec().getDatacenter().getRacks().get(0).setMembers(4));
        await().atMost(STEP).until(() -> harness.agents.cleanupRunning("c-dc1-rack1-0"));
        assertThat(harness.replicas("c-dc1-rack1")).isEqualTo(4);
        assertThat(annotations("c-dc1-rack1-0")).containsKeys(Contract.Annotations.CLEANUP_RUN, Contract.Annotations.CLEANUP_STARTED);
        assertThat(annotations("c-dc1-rack1-1")).containsKey(Contract.Annotations.CLEANUP_RUN).doesNotContainKey(Contract.Annotations.CLEANUP_STARTED);
        assertThat(annotations("c-dc1-rack1-3")).doesNotContainKey(Contract.Annotations.CLEANUP_RUN);
        assertThat(harness.conditionIs("c", "Ready", "True")).isTrue();
        assertThat(harness.condition("c", "Progressing")).get().satisfies(c -> {
            assertThat(c.getReason()).isEqualTo("CleaningUp");
            assertThat(c.getMessage()).contains("c-dc1-rack1-0");
        });

        // A restart resumes the running cleanup without starting it again, and starts no other.
        harness.stopOperator();
        int posts = harness.agents.cleanupPosts("c-dc1-rack1-0");
        harness.startOperator();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> harness.agents.cleanupPosts("c-dc1-rack1-0") == posts
                && harness.agents.cleanupPosts("c-dc1-rack1-1") == 1);

        for (String next : List.of("c-dc1-rack1-1", "c-dc1-rack1-2")) {
            harness.agents.finishCleanups(OperationState.DONE);
            await().atMost(STEP).until(() -> harness.agents.cleanupRunning(next));
        }
        harness.agents.finishCleanups(OperationState.DONE);
        harness.awaitReady("c", 4);
        assertThat(harness.agents.cleanupOrder()).containsExactly("c-dc1-rack1-0", "c-dc1-rack1-1",
                "c-dc1-rack1-0", "c-dc1-rack1-1", "c-dc1-rack1-2");
        for (int i = 0; i < 4; i++) {
            assertThat(annotations("c-dc1-rack1-" + i)).doesNotContainKeys(Contract.Annotations.CLEANUP_RUN, Contract.Annotations.CLEANUP_STARTED, Contract.Annotations.CLEANUP_FAILURE);
        }
        assertThat(harness.events(EventReason.CleanupFinished)).hasSize(5);
    }

    @Test
    void noCleanupWhenTheSpecSaysSo() {
        var cluster = TestClusters.cluster("c", NAMESPACE, 3);
        cluster.getSpec().setCleanupAfterScaleOut(false);
        harness.create(cluster);
        harness.awaitReady("c", 3);
        assertThat(harness.agents.cleanupOrder()).isEmpty();
        assertThat(annotations("c-dc1-rack1-0")).doesNotContainKey(Contract.Annotations.CLEANUP_RUN);
    }

    @Test
    void aFailedCleanupIsReportedAndNotRepeated() {
        harness.agents.cleanupOutcome = OperationState.RUNNING;
        harness.create(TestClusters.cluster("c", NAMESPACE, 2));
        await().atMost(STEP).until(() -> harness.agents.cleanupRunning("c-dc1-rack1-0"));
        harness.agents.failCleanups("Cleanup cannot run while node has pending ranges");

        await().atMost(STEP).until(() -> harness.conditionIs("c", "Degraded", "True"));
        assertThat(harness.condition("c", "Degraded")).get().satisfies(c -> {
            assertThat(c.getReason()).isEqualTo("CleanupFailed");
            assertThat(c.getMessage()).contains("c-dc1-rack1-0").contains("pending ranges");
        });
        assertThat(annotations("c-dc1-rack1-0")).containsEntry(Contract.Annotations.CLEANUP_FAILURE, "Cleanup cannot run while node has pending ranges")
                .doesNotContainKeys(Contract.Annotations.CLEANUP_RUN, Contract.Annotations.CLEANUP_STARTED);
        assertThat(harness.events(EventReason.CleanupFailed)).hasSize(1);
        assertThat(harness.conditionIs("c", "Ready", "True")).isTrue();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> harness.agents.cleanupPosts("c-dc1-rack1-0") == 1);

        harness.api.client.services().inNamespace(NAMESPACE).withName("c-dc1-rack1-0")
                .edit(s -> { s.getMetadata().getAnnotations().remove(Contract.Annotations.CLEANUP_FAILURE); return s; });
        await().atMost(STEP).until(() -> harness.conditionIs("c", "Degraded", "False"));
    }
}
