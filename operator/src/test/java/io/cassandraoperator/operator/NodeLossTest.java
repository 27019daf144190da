package io.cassandraoperator.operator;

import io.cassandraoperator.api.Contract.Annotations;
import io.cassandraoperator.api.Contract.Labels;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.operator.plan.VolumeNodeAffinity;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.cassandraoperator.operator.OperatorHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 17 rules 3 and 4 on the mock API: a member counts as lost through its Node only when no Node satisfies its
 * volume's node affinity for the grace period (the Nodes here are named {@code node-N}, their hostname labels
 * {@code host-N}); a Node back within it cancels; the off switch; and no replacement when no other replica can hold the
 * data.
 */
class NodeLossTest {
    private static final String GRACE = "10s";
    private static final Duration GRACE_PERIOD = Duration.ofSeconds(10);
    private static final Duration STEP = Duration.ofSeconds(20);
    private static final String MEMBER = "c-dc1-rack1-1";
    @RegisterExtension
    final OperatorHarness harness = new OperatorHarness();

    private void createReady(boolean replace) {
        harness.create(TestClusters.withNodeLoss(TestClusters.cluster("c", NAMESPACE, 3), replace, GRACE));
        harness.awaitReady("c", 3);
    }

    private String nodeOf(String member) {
        String volume = harness.api.client.persistentVolumeClaims().inNamespace(NAMESPACE).withName("data-" + member).get().getSpec().getVolumeName();
        PersistentVolume pv = harness.api.client.persistentVolumes().withName(volume).get();
        return FakeControllers.nodeOf(pv);
    }

    private Map<String, String> records(String member) {
        Map<String, String> annotations = harness.service(member).getMetadata().getAnnotations();
        return annotations == null ? Map.of() : annotations;
    }

    private boolean untouched(String member) {
        return !records(member).containsKey(Annotations.REPLACE_CAUSE) && harness.controllers.claimUids.get(member).size() == 1;
    }

    private boolean everyMemberUntouched() {
        return untouched("c-dc1-rack1-0") && untouched("c-dc1-rack1-1") && untouched("c-dc1-rack1-2");
    }

    private Instant awaitAbsenceRecorded(String member) {
        String since = await().atMost(STEP).until(() -> records(member).get(Annotations.NODE_ABSENT_SINCE), s -> s != null);
        return Instant.parse(since);
    }

    @Test
    void healthyMembersOnNodesWhoseNamesDifferFromTheirHostnameLabelsAreNotReplaced() {
        createReady(true);
        for (Node node : harness.api.client.nodes().list().getItems()) {
            assertThat(node.getMetadata().getLabels().get(VolumeNodeAffinity.HOSTNAME_KEY)).isNotEqualTo(node.getMetadata().getName());
        }
        await().during(GRACE_PERIOD.plusSeconds(2)).atMost(GRACE_PERIOD.plusSeconds(10)).until(() -> everyMemberUntouched()
                && !records("c-dc1-rack1-0").containsKey(Annotations.NODE_ABSENT_SINCE)
                && !records(MEMBER).containsKey(Annotations.NODE_ABSENT_SINCE)
                && !records("c-dc1-rack1-2").containsKey(Annotations.NODE_ABSENT_SINCE));
        assertThat(harness.events(EventReason.NodeAbsent)).isEmpty();
        assertThat(harness.events(EventReason.ReplacementStarted)).isEmpty();
        assertThat(harness.conditionIs("c", "Ready", "True")).isTrue();
    }

    @Test
    void aNodeGoneForTheGracePeriodIsReplacedAndNotBefore() {
        createReady(true);
        String node = nodeOf(MEMBER);

        harness.api.client.nodes().withName(node).delete();

        Instant since = awaitAbsenceRecorded(MEMBER);
        Instant replaceAt = since.plus(GRACE_PERIOD);
        await().atMost(STEP).until(() -> harness.condition("c", "Progressing")
                .map(c -> "AwaitingNodeReturn".equals(c.getReason()) && c.getMessage().contains("replaced on an empty disk at " + replaceAt))
                .orElse(false));
        assertThat(harness.events(EventReason.NodeAbsent)).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("[" + FakeControllers.hostname(node) + "]").contains(replaceAt.toString()));
        // Nothing is given up while the grace period runs.
        await().atMost(GRACE_PERIOD).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(untouched(MEMBER)).as("untouched before %s", replaceAt).isTrue();
            return Instant.now().isAfter(replaceAt.minusMillis(500));
        });

        await().atMost(STEP).until(() -> records(MEMBER).containsKey(Annotations.REPLACE_CAUSE));
        assertThat(Instant.now()).isAfter(replaceAt);
        assertThat(records(MEMBER).get(Annotations.REPLACE_CAUSE)).contains("absent since " + since).contains("grace period 10s");
        assertThat(records(MEMBER)).doesNotContainKey(Annotations.NODE_ABSENT_SINCE);
        harness.awaitReady("c", 3);
        await().atMost(STEP).until(() -> !records(MEMBER).containsKey(Annotations.REPLACE_CAUSE));
        assertThat(harness.controllers.claimUids.get(MEMBER)).hasSize(2);
        assertThat(nodeOf(MEMBER)).isNotEqualTo(node);
        assertThat(untouched("c-dc1-rack1-0") && untouched("c-dc1-rack1-2")).isTrue();
        assertThat(harness.events(EventReason.ReplacementStarted)).hasSize(1);
        assertThat(harness.events(EventReason.NodeReturned)).isEmpty();
    }

    @Test
    void aNodeThatComesBackWithinTheGracePeriodCancelsTheReplacement() {
        createReady(true);
        String node = nodeOf(MEMBER);
        harness.api.client.nodes().withName(node).delete();
        Instant since = awaitAbsenceRecorded(MEMBER);

        harness.controllers.addNode(node);

        await().atMost(STEP).until(() -> !records(MEMBER).containsKey(Annotations.NODE_ABSENT_SINCE));
        assertThat(Instant.now()).isBefore(since.plus(GRACE_PERIOD));
        // The Event follows the write that removes the record.
        await().atMost(STEP).until(() -> !harness.events(EventReason.NodeReturned).isEmpty());
        assertThat(harness.events(EventReason.NodeReturned)).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains(MEMBER).contains("cancelled"));
        harness.awaitReady("c", 3);
        await().during(Duration.ofSeconds(3)).atMost(GRACE_PERIOD.plusSeconds(10))
                .until(() -> Instant.now().isAfter(since.plus(GRACE_PERIOD).plusSeconds(1)) && everyMemberUntouched());
        assertThat(everyMemberUntouched()).isTrue();
        assertThat(harness.events(EventReason.ReplacementStarted)).isEmpty();
    }

    @Test
    void withReplacementOffANodeLossIsReportedAndOnlyTheLabelReplacesTheMember() {
        createReady(false);
        harness.api.client.nodes().withName(nodeOf(MEMBER)).delete();
        Instant since = awaitAbsenceRecorded(MEMBER);

        await().atMost(STEP).until(() -> harness.condition("c", "Degraded")
                .map(c -> "True".equals(c.getStatus()) && "NodeLossNotReplaced".equals(c.getReason())
                        && c.getMessage().contains("spec.nodeLoss.replace: false") && c.getMessage().contains(Labels.REPLACE))
                .orElse(false));
        await().during(Duration.ofSeconds(2)).atMost(GRACE_PERIOD.plusSeconds(10))
                .until(() -> Instant.now().isAfter(since.plus(GRACE_PERIOD).plusSeconds(1)) && everyMemberUntouched());
        assertThat(harness.events(EventReason.NodeAbsent)).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("replacement on node loss is off"));

        harness.api.client.services().inNamespace(NAMESPACE).withName(MEMBER)
                .edit(s -> { s.getMetadata().getLabels().put(Labels.REPLACE, "true"); return s; });
        await().atMost(STEP).until(() -> harness.controllers.claimUids.get(MEMBER).size() == 2);
        harness.awaitReady("c", 3);
        await().atMost(STEP).until(() -> !records(MEMBER).containsKey(Annotations.REPLACE_CAUSE));
        assertThat(harness.events(EventReason.ReplacementStarted)).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains(Labels.REPLACE));
    }

    @Test
    void anOperatorStoppedBetweenTheAbsenceRecordAndItsEventRecordsTheEventAfterItsRestart() {
        createReady(false);
        harness.stopOperator();
        harness.api.client.nodes().withName(nodeOf(MEMBER)).delete();
        // As when the operator recorded it: the member's pod went with its Node (a ready pod would cancel the record).
        await().atMost(STEP).until(() -> {
            Pod pod = harness.api.client.pods().inNamespace(NAMESPACE).withName(MEMBER).get();
            return pod == null || !FakeControllers.ready(pod);
        });
        // What the stopped operator had written: the record, and no Event yet.
        Instant since = Instant.now().minusSeconds(1);
        harness.api.client.services().inNamespace(NAMESPACE).withName(MEMBER)
                .edit(s -> { s.getMetadata().getAnnotations().put(Annotations.NODE_ABSENT_SINCE, since.toString()); return s; });

        harness.startOperator();

        await().atMost(STEP).until(() -> !harness.events(EventReason.NodeAbsent).isEmpty());
        await().during(Duration.ofSeconds(2)).atMost(STEP).until(() -> harness.events(EventReason.NodeAbsent).size() == 1);
        assertThat(harness.events(EventReason.NodeAbsent)).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains(MEMBER).contains("replacement on node loss is off"));
        assertThat(records(MEMBER)).containsEntry(Annotations.NODE_ABSENT_SINCE, since.toString());
    }

    @Test
    void aReplacementIsRefusedWhileFewerThanTwoOtherMembersAreReadyThenGoesOn() {
        createReady(true);
        harness.controllers.autoReady = false;
        String down = "c-dc1-rack1-0";
        String lost = "c-dc1-rack1-2";
        harness.api.client.pods().inNamespace(NAMESPACE).withName(down).editStatus(p -> {
            p.getStatus().getConditions().forEach(c -> c.setStatus("False"));
            return p;
        });
        harness.api.client.services().inNamespace(NAMESPACE).withName(lost)
                .edit(s -> { s.getMetadata().getLabels().put(Labels.REPLACE, "true"); return s; });

        await().atMost(STEP).until(() -> harness.condition("c", "Degraded")
                .map(c -> "True".equals(c.getStatus()) && EventReason.ReplacementRefused.name().equals(c.getReason())
                        && c.getMessage().contains(lost) && c.getMessage().contains("only 1 other member(s) are ready"))
                .orElse(false));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(this::everyMemberUntouched);
        assertThat(harness.events(EventReason.ReplacementRefused)).singleElement()
                .satisfies(e -> {
                    assertThat(e.getType()).isEqualTo("Warning");
                    assertThat(e.getMessage()).contains(lost).contains("refused");
                });

        harness.controllers.markReady(down);
        harness.controllers.markReady(lost);
        await().atMost(STEP).until(() -> harness.controllers.claimUids.get(lost).size() == 2);
        harness.awaitReady("c", 3);
        await().atMost(STEP).until(() -> !records(lost).containsKey(Annotations.REPLACE_CAUSE));
        assertThat(harness.events(EventReason.ReplacementRefused)).hasSize(1);
    }

    @Test
    void aReplacementIsRefusedWithAReplicationFactorBelowTwoEvenAcrossRestarts() {
        io.cassandraoperator.api.Cluster cluster = TestClusters.cluster("c", NAMESPACE, 3);
        cluster.getSpec().getDatacenter().setReplicationFactor(1);
        harness.create(cluster);
        harness.awaitReady("c", 3);
        harness.api.client.services().inNamespace(NAMESPACE).withName(MEMBER)
                .edit(s -> { s.getMetadata().getLabels().put(Labels.REPLACE, "true"); return s; });

        await().atMost(STEP).until(() -> harness.condition("c", "Degraded")
                .map(c -> "True".equals(c.getStatus()) && c.getMessage().contains("replicationFactor is 1")).orElse(false));
        harness.stopOperator();
        harness.startOperator();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(this::everyMemberUntouched);
        assertThat(harness.condition("c", "Degraded").get().getReason()).isEqualTo(EventReason.ReplacementRefused.name());
        assertThat(harness.events(EventReason.ReplacementRefused)).as("one Warning Event, also after a restart").hasSize(1);
    }
}
