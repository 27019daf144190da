package io.cassandraoperator.operator;

import io.cassandraoperator.api.Contract.Labels;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.api.RackStatus;
import io.cassandraoperator.api.agent.OperationState;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static io.cassandraoperator.operator.OperatorHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Scale-down through the decommission protocol, with the operator restarted between the steps. */
class DecommissionTest {
    private static final Duration STEP = Duration.ofSeconds(20);
    @RegisterExtension
    final OperatorHarness harness = new OperatorHarness();

    private String decommissionLabel(String member) {
        Service service = harness.service(member);
        return service == null ? null : service.getMetadata().getLabels().get(Labels.DECOMMISSIONED);
    }

    private boolean claimExists(String member) {
        return harness.api.client.persistentVolumeClaims().inNamespace(NAMESPACE).withName("data-" + member).get() != null;
    }

    private boolean podReady(String member) {
        var pod = harness.api.client.pods().inNamespace(NAMESPACE).withName(member).get();
        return pod != null && pod.getStatus() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private boolean podExists(String member) {
        return harness.api.client.pods().inNamespace(NAMESPACE).withName(member).get() != null;
    }

    /**
     * An operator stopped between writing a step's record and creating its Event: the next operator finds the record
     * without its Event and creates it, once, however many rounds follow.
     */
    @Test
    void anEventLostToAStopBetweenRecordAndEventIsRecordedOnceByTheNextOperator() {
        harness.createReady("c", 4);
        String member = "c-dc1-rack1-3";
        harness.agents.available(false);
        harness.stopOperator();
        harness.editSpec("c", c -> c.getSpec().getDatacenter().getRacks().get(0).setMembers(3));
        // What DecommissionStep.start writes, without the Event that would follow it.
        harness.api.client.services().inNamespace(NAMESPACE).withName(member).edit(s -> {
            s.getMetadata().getLabels().put(Labels.DECOMMISSIONED, "false");
            s.getMetadata().getAnnotations().put(Contract.Annotations.DECOMMISSION_STARTED, "1700000000");
            return s;
        });
        assertThat(harness.events(EventReason.DecommissionStarted)).isEmpty();

        harness.startOperator();
        await().atMost(STEP).until(() -> harness.events(EventReason.DecommissionStarted).size() == 1);
        int reconciles = harness.reconciles.get();
        await().atMost(STEP).until(() -> harness.reconciles.get() > reconciles + 3);
        harness.stopOperator();
        harness.startOperator();
        harness.agents.available(true);
        harness.agents.finishDecommission(member, OperationState.DONE, null);
        harness.awaitReady("c", 3);
        for (EventReason reason : new EventReason[]{EventReason.DecommissionStarted, EventReason.DecommissionFinished, EventReason.MemberRemoved}) {
            assertThat(harness.events(reason)).as(reason.name()).hasSize(1);
        }
        assertThat(harness.agents.posts(member)).isEqualTo(1);
    }

    /**
     * Issue 17, rule 1: a {@code decommissioned=true} label set by hand (or copied, or restored from a backup) on the
     * highest member removes nothing; its agent, asked and never told to start, does not confirm, and Degraded says why.
     * Once a real decommission confirmed by the agent follows, the member goes as usual.
     */
    @Test
    void aHandSetDecommissionedLabelRemovesNothing() {
        harness.createReady("c", 4);
        String member = "c-dc1-rack1-3";
        String service = harness.service(member).getMetadata().getUid();
        String claim = harness.api.client.persistentVolumeClaims().inNamespace(NAMESPACE).withName("data-" + member).get()
                .getMetadata().getUid();
        harness.api.client.services().inNamespace(NAMESPACE).withName(member)
                .edit(s -> new ServiceBuilder(s).editMetadata().addToLabels(Labels.DECOMMISSIONED, "true").endMetadata().build());

        await().atMost(STEP).until(() -> harness.condition("c", "Degraded")
                .map(c -> EventReason.DecommissionUnconfirmed.name().equals(c.getReason()) && c.getMessage().contains(member)).orElse(false));
        int gets = harness.agents.gets(member);
        await().atMost(STEP).until(() -> harness.agents.gets(member) > gets + 1);
        assertThat(harness.replicas("c-dc1-rack1")).isEqualTo(4);
        assertThat(podExists(member)).isTrue();
        assertThat(harness.service(member).getMetadata().getUid()).isEqualTo(service);
        assertThat(harness.api.client.persistentVolumeClaims().inNamespace(NAMESPACE).withName("data-" + member).get()
                .getMetadata().getUid()).isEqualTo(claim);
        assertThat(harness.agents.posts(member)).as("asked, never told to start").isZero();
        assertThat(harness.events(EventReason.DecommissionUnconfirmed)).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains(member).contains("NOT_STARTED"));

        // The label removed: the cluster is as before, and a wanted scale-down then runs the whole protocol.
        harness.api.client.services().inNamespace(NAMESPACE).withName(member)
                .edit(s -> new ServiceBuilder(s).editMetadata().removeFromLabels(Labels.DECOMMISSIONED).endMetadata().build());
        harness.awaitReady("c", 4);
        harness.agents.finishDecommission(member, OperationState.DONE, null);
        harness.editSpec("c", c -> c.getSpec().getDatacenter().getRacks().get(0).setMembers(3));
        harness.awaitReady("c", 3);
        assertThat(claimExists(member)).isFalse();
        assertThat(harness.agents.posts(member)).isEqualTo(1);
    }

    @Test
    void scaleDownFiveToThreeFollowsTheProtocolAcrossRestarts() {
        harness.createReady("c", 5);
        String set = "c-dc1-rack1";

        for (String member : new String[]{"c-dc1-rack1-4", "c-dc1-rack1-3"}) {
            int ordinal = Integer.parseInt(member.substring(member.length() - 1));
            // Step 1: the intent is recorded on the member Service; the agent cannot be reached yet.
            harness.agents.available(false);
            if (ordinal == 4) {
                harness.editSpec("c", c -> c.getSpec().getDatacenter().getRacks().get(0).setMembers(3));
            }
            await().atMost(STEP).until(() -> "false".equals(decommissionLabel(member)));
            await().atMost(STEP).until(() -> harness.conditionIs("c", "Progressing", "True")
                    && harness.status("c").getRacks().get("rack1").getConditions().stream()
                        .anyMatch(cond -> RackStatus.RackCondition.MEMBER_LEAVING.equals(cond.getType())));
            harness.stopOperator();
            assertThat(harness.agents.posts(member)).isZero();
            assertThat(harness.replicas(set)).isEqualTo(ordinal + 1);

            // Step 2: a new operator finds the record and asks the agent, once.
            harness.agents.available(true);
            harness.startOperator();
            await().atMost(STEP).until(() -> harness.agents.posts(member) == 1);
            harness.stopOperator();

            // Step 3: a new operator polls the running decommission without starting another.
            int gets = harness.agents.gets(member);
            harness.startOperator();
            await().atMost(STEP).until(() -> harness.agents.gets(member) > gets);
            assertThat(harness.condition("c", "Progressing")).get().satisfies(c -> assertThat(c.getMessage()).contains(member));
            harness.stopOperator();
            assertThat(harness.replicas(set)).isEqualTo(ordinal + 1);
            assertThat(decommissionLabel(member)).isEqualTo("false");

            // Step 4: Cassandra reports it DECOMMISSIONED: recorded, then the StatefulSet shrinks; the pod is still terminating.
            harness.agents.finishDecommission(member, OperationState.DONE, null);
            harness.controllers.holdPodDeletion = true;
            harness.startOperator();
            await().atMost(STEP).until(() -> harness.replicas(set) == ordinal);
            harness.stopOperator();
            assertThat(decommissionLabel(member)).isEqualTo("true");
            assertThat(claimExists(member)).as("the claim stays while the pod runs").isTrue();

            // Step 5: with the pod gone, a new operator removes the claim and the Service. The next member's agent is
            // kept unreachable, so the next decommission can only get as far as its record before the test looks.
            harness.controllers.holdPodDeletion = false;
            await().atMost(STEP).until(() -> !podExists(member));
            harness.agents.available(false);
            harness.startOperator();
            await().atMost(STEP).until(() -> harness.service(member) == null && !claimExists(member));
            assertThat(harness.agents.posts(member)).as("exactly one decommission call for " + member).isEqualTo(1);
        }

        harness.awaitReady("c", 3);
        assertThat(harness.agents.totalPosts()).isEqualTo(2);
        assertThat(harness.agents.unauthorized).hasValue(0);
        assertThat(harness.api.client.configMaps().inNamespace(NAMESPACE).withName("c-members").get().getData())
                .doesNotContainKeys("c-dc1-rack1-3", "c-dc1-rack1-4").containsKeys("c-dc1-rack1-0", "c-dc1-rack1-2");
        assertThat(harness.events(EventReason.DecommissionStarted)).hasSize(2);
        assertThat(harness.events(EventReason.DecommissionFinished)).hasSize(2);
        assertThat(harness.events(EventReason.MemberRemoved)).hasSize(2);
        assertThat(harness.status("c").getRacks().get("rack1").getConditions()).isEmpty();
        assertThat(harness.controllers.violations).isEmpty();
    }

    /**
     * Issue 12: a scale-down reversed while Cassandra decommissions the member. Cassandra cannot cancel a decommission,
     * so it runs to its end; the member then leaves with its claim and Service, and comes back as a new node on a new
     * claim. The operator is restarted between every two steps.
     */
    @Test
    void aScaleDownReversedMidDecommissionFinishesItThenAddsTheMemberAgainOnAFreshClaim() {
        harness.createReady("c", 4);
        String set = "c-dc1-rack1";
        String member = "c-dc1-rack1-3";
        String oldClaim = harness.api.client.persistentVolumeClaims().inNamespace(NAMESPACE).withName("data-" + member).get()
                .getMetadata().getUid();
        String oldService = harness.service(member).getMetadata().getUid();

        setMembers(3);
        await().atMost(STEP).until(() -> harness.agents.posts(member) == 1);
        harness.stopOperator();

        // The user wants the member back while Cassandra is still decommissioning it: the decommission is a barrier.
        setMembers(4);
        int gets = harness.agents.gets(member);
        harness.startOperator();
        await().atMost(STEP).until(() -> harness.agents.gets(member) > gets);
        await().atMost(STEP).until(() -> harness.condition("c", "Progressing").map(c -> c.getMessage().contains(member)).orElse(false));
        harness.stopOperator();
        assertThat(decommissionLabel(member)).isEqualTo("false");
        assertThat(harness.replicas(set)).isEqualTo(4);
        assertThat(harness.agents.posts(member)).isEqualTo(1);

        // Cassandra finishes: the member leaves for good (its data must never rejoin), claim and Service included.
        harness.agents.finishDecommission(member, OperationState.DONE, null);
        harness.startOperator();
        await().atMost(STEP).until(() -> "true".equals(decommissionLabel(member)) || harness.service(member) == null
                || !oldService.equals(harness.service(member).getMetadata().getUid()));
        harness.stopOperator();
        harness.startOperator();

        // Then, and only then, it is added again: a new Service and a new claim, so it bootstraps as a new node.
        harness.awaitReady("c", 4);
        assertThat(harness.service(member).getMetadata().getUid()).isNotEqualTo(oldService);
        assertThat(harness.service(member).getMetadata().getLabels()).doesNotContainKey(Labels.DECOMMISSIONED);
        assertThat(harness.api.client.persistentVolumeClaims().inNamespace(NAMESPACE).withName("data-" + member).get()
                .getMetadata().getUid()).isNotEqualTo(oldClaim);
        assertThat(harness.agents.posts(member)).as("one decommission, never repeated").isEqualTo(1);
        for (EventReason reason : new EventReason[]{EventReason.DecommissionStarted, EventReason.DecommissionFinished, EventReason.MemberRemoved}) {
            assertThat(harness.events(reason)).as(reason.name()).hasSize(1);
        }
        assertThat(harness.controllers.violations).isEmpty();
        assertThat(harness.agents.misdirected).as("every agent call named its member").hasValue(0);
    }

    /** Issue 17, rule 11: rack1 3 -> 2 and rack2 2 -> 3 in one edit; rack2's new member joins before rack1's leaves. */
    @Test
    void membersMovedBetweenRacksJoinTheNewRackBeforeTheOldOneShrinks() {
        harness.createReady("c", 3, 2);
        String leaving = "c-dc1-rack1-2";
        harness.editSpec("c", c -> {
            c.getSpec().getDatacenter().getRacks().get(0).setMembers(2);
            c.getSpec().getDatacenter().getRacks().get(1).setMembers(3);
        });
        String joining = "c-dc1-rack2-2";
        await().atMost(STEP).until(() -> {
            if (decommissionLabel(leaving) == null) {
                return false;
            }
            assertThat(podReady(joining)).as("the decommission of %s starts only once %s is ready", leaving, joining).isTrue();
            return true;
        });
        assertThat(harness.replicas("c-dc1-rack2")).isEqualTo(3);
        await().atMost(STEP).until(() -> harness.agents.posts(leaving) == 1);
        harness.agents.finishDecommission(leaving, OperationState.DONE, null);
        harness.awaitReady("c", 5);
        assertThat(harness.replicas("c-dc1-rack1")).isEqualTo(2);
        assertThat(podExists(leaving)).isFalse();
    }

    /** A spec change as a user makes it: retried on a conflict with the operator's own status writes. */
    private void setMembers(int members) {
        await().atMost(STEP).ignoreExceptions().until(() -> {
            harness.editSpec("c", c -> c.getSpec().getDatacenter().getRacks().get(0).setMembers(members));
            return true;
        });
    }

    @Test
    void aFinishedDecommissionRecordedBeforeACrashIsNotRepeated() {
        harness.createReady("c", 4);
        harness.stopOperator();
        // The state an operator leaves when it crashes right after recording DONE.
        harness.editSpec("c", c -> c.getSpec().getDatacenter().getRacks().get(0).setMembers(3));
        harness.api.client.services().inNamespace(NAMESPACE).withName("c-dc1-rack1-3")
                .edit(s -> {
                    s.getMetadata().getLabels().put(Labels.DECOMMISSIONED, "true");
                    s.getMetadata().getAnnotations().put(Contract.Annotations.DECOMMISSION_CONFIRMED, s.getMetadata().getUid());
                    return s;
                });

        harness.startOperator();
        harness.awaitReady("c", 3);
        await().atMost(STEP).until(() -> harness.service("c-dc1-rack1-3") == null);
        assertThat(harness.agents.totalPosts()).isZero();
        assertThat(harness.agents.gets("c-dc1-rack1-3")).isZero();
    }

    @Test
    void aDecommissionCassandraRejectsLeavesTheMemberAndSaysWhy() {
        harness.createReady("c", 4);
        String member = "c-dc1-rack1-3";
        String cassandraSays = "Not enough live nodes to maintain replication factor in keyspace ks";
        harness.agents.finishDecommission(member, OperationState.FAILED, cassandraSays);

        harness.editSpec("c", c -> c.getSpec().getDatacenter().getRacks().get(0).setMembers(3));
        await().atMost(STEP).until(() -> harness.conditionIs("c", "Degraded", "True"));
        assertThat(harness.condition("c", "Degraded")).get().satisfies(c -> {
            assertThat(c.getReason()).isEqualTo("DecommissionFailed");
            assertThat(c.getMessage()).contains(member).contains(cassandraSays);
        });
        assertThat(harness.service(member).getMetadata().getAnnotations()).containsEntry(Contract.Annotations.DECOMMISSION_FAILURE, cassandraSays);
        assertThat(harness.events(EventReason.DecommissionFailed)).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getMessage()).contains(cassandraSays);
        });
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> harness.replicas("c-dc1-rack1") == 4);
        assertThat(harness.agents.posts(member)).isEqualTo(1);

        // Removing the failure record, as the message says, starts a new run, which Cassandra refuses again.
        harness.api.client.services().inNamespace(NAMESPACE).withName(member).edit(s -> {
            s.getMetadata().getAnnotations().remove(Contract.Annotations.DECOMMISSION_FAILURE);
            return s;
        });
        await().atMost(STEP).until(() -> harness.agents.posts(member) == 2
                && cassandraSays.equals(harness.service(member).getMetadata().getAnnotations().get(Contract.Annotations.DECOMMISSION_FAILURE)));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> harness.agents.posts(member) == 2);

        // Wanting the member again clears the failed attempt.
        harness.editSpec("c", c -> c.getSpec().getDatacenter().getRacks().get(0).setMembers(4));
        await().atMost(STEP).until(() -> decommissionLabel(member) == null);
        harness.awaitReady("c", 4);
        assertThat(harness.conditionIs("c", "Degraded", "False")).isTrue();
        assertThat(harness.service(member).getMetadata().getAnnotations()).doesNotContainKey(Contract.Annotations.DECOMMISSION_FAILURE);
    }

    @Test
    void aDecommissionThatFailedOnAStreamIsRetriedOnceEveryMemberIsReadyAndFinishes() {
        harness.createReady("c", 4);
        String member = "c-dc1-rack1-3";
        String cassandraSays = "Error while decommissioning node: Stream failed: Session peer /127.0.2.3:7000 Failed because of an"
                + " unknown exception\njava.io.IOException: failed to connect to /127.0.2.3:7000 for streaming data";
        harness.agents.failDecommissionRuns(member, 1, cassandraSays);
        harness.agents.finishDecommission(member, OperationState.DONE, null);

        harness.editSpec("c", c -> c.getSpec().getDatacenter().getRacks().get(0).setMembers(3));
        harness.awaitReady("c", 3);

        assertThat(harness.events(EventReason.DecommissionFailed)).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("Stream failed"));
        assertThat(harness.events(EventReason.DecommissionRetried)).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains(member).contains("retry 1 of 3").contains("Session peer /127.0.2.3:7000").doesNotContain("\n"));
        assertThat(harness.agents.posts(member)).isEqualTo(2);
        await().atMost(STEP).until(() -> harness.service(member) == null);
    }

    @Test
    void aStreamFailureThatStaysIsRetriedThreeTimesAndThenLeftToTheUser() {
        harness.createReady("c", 4);
        String member = "c-dc1-rack1-3";
        harness.agents.failDecommissionRuns(member, 10, "Stream failed: failed to connect to /127.0.2.2:7000 for streaming data");

        harness.editSpec("c", c -> c.getSpec().getDatacenter().getRacks().get(0).setMembers(3));
        await().atMost(STEP).until(() -> harness.condition("c", "Degraded")
                .map(c -> "DecommissionFailed".equals(c.getReason()) && harness.events(EventReason.DecommissionRetried).size() == 3).orElse(false));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> harness.agents.posts(member) == 4);
        assertThat(harness.service(member).getMetadata().getAnnotations()).containsEntry(Contract.Annotations.DECOMMISSION_RETRIES, "3");
        assertThat(harness.replicas("c-dc1-rack1")).isEqualTo(4);
    }
}
