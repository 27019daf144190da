package io.cassandraoperator.operator;

import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.EventReason;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.cassandraoperator.api.agent.OperationState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.cassandraoperator.operator.OperatorHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Abandoned bootstraps (#23) on the mock API: a member still joining when the spec no longer wants it, or when a lost
 * member waits for it, is stopped and emptied only on its agent's word that its volume never joined, with the
 * operator restarted between the record and each step; a member that joined is never abandoned.
 */
class BootstrapAbandonTest {
    private static final Duration STEP = Duration.ofSeconds(20);
    private static final String JOINING = "c-dc1-rack1-3";
    @RegisterExtension
    final OperatorHarness harness = new OperatorHarness();

    private Map<String, String> records(String member) {
        Service service = harness.service(member);
        return service == null || service.getMetadata().getAnnotations() == null ? Map.of() : service.getMetadata().getAnnotations();
    }

    private PersistentVolumeClaim claim(String member) {
        return harness.api.client.persistentVolumeClaims().inNamespace(NAMESPACE).withName("data-" + member).get();
    }

    private int replicas() {
        return harness.api.client.apps().statefulSets().inNamespace(NAMESPACE).withName("c-dc1-rack1").get().getSpec().getReplicas();
    }

    private boolean podExists(String member) {
        return harness.api.client.pods().inNamespace(NAMESPACE).withName(member).get() != null;
    }

    private String progressing() {
        return harness.condition("c", "Progressing").map(c -> c.getMessage()).orElse("");
    }

    /** The spec's member count; an edit that met the operator's status write (409) is made again. */
    private void editMembers(int members) {
        await().atMost(STEP).ignoreExceptionsInstanceOf(KubernetesClientException.class).untilAsserted(() ->
                harness.editSpec("c", c -> c.getSpec().getDatacenter().getRacks().get(0).setMembers(members)));
    }

    /** 3 ready members, then a fourth started that stays JOINING on a volume that never joined. */
    private String startJoiningFourthMember() {
        harness.createReady("c", 3);
        harness.controllers.autoReady = false;
        harness.agents.node(JOINING, "JOINING", false);
        editMembers(4);
        await().atMost(STEP).until(() -> podExists(JOINING) && claim(JOINING) != null);
        String address = harness.service(JOINING).getSpec().getClusterIP();
        harness.agents.joiningInRing.add(address);
        return address;
    }

    @Test
    void aScaleDownRemovingAJoiningMemberAbandonsItsBootstrapAndResumesAfterEveryRestart() {
        String address = startJoiningFourthMember();
        String claimUid = claim(JOINING).getMetadata().getUid();
        String serviceUid = harness.service(JOINING).getMetadata().getUid();

        // The record, then the operator stops: nothing else is done yet that the record does not say.
        editMembers(3);
        await().atMost(STEP).until(() -> records(JOINING).containsKey(Contract.Annotations.BOOTSTRAP_ABANDON_CAUSE));
        harness.stopOperator();
        assertThat(records(JOINING).get(Contract.Annotations.BOOTSTRAP_ABANDON_CAUSE)).contains("no longer wants it");
        assertThat(records(JOINING)).containsEntry(Contract.Annotations.BOOTSTRAP_ABANDON_CLAIMS, claimUid);

        // A new operator lowers the replicas and stops the member.
        harness.startOperator();
        await().atMost(STEP).until(() -> replicas() == 3);
        harness.stopOperator();

        // A new operator deletes the pod, and keeps the claim and the Service while a member's ring still knows the
        // address: a Cassandra may finish its join while it stops, and the ring never forgets one that joined.
        harness.startOperator();
        await().atMost(STEP).until(() -> progressing().contains("still knows " + address));
        assertThat(podExists(JOINING)).isFalse();
        assertThat(claim(JOINING)).as("the claim, kept while the ring knows the member").isNotNull()
                .satisfies(c -> assertThat(c.getMetadata().getUid()).isEqualTo(claimUid));
        assertThat(harness.service(JOINING).getMetadata().getUid()).isEqualTo(serviceUid);
        harness.stopOperator();

        // Gossip forgot it: a new operator deletes the claim, then the Service, and the cluster is 3 ready members.
        harness.agents.joiningInRing.clear();
        harness.startOperator();
        await().atMost(STEP).until(() -> claim(JOINING) == null);
        await().atMost(STEP).until(() -> harness.service(JOINING) == null);
        harness.awaitReady("c", 3);
        assertThat(harness.agents.posts(JOINING)).as("a member still joining is not decommissioned").isZero();
        assertThat(harness.controllers.claimUids.get(JOINING)).as("its claim was created once, never again").containsExactly(claimUid);
        assertThat(harness.events(EventReason.BootstrapAbandoned)).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains(JOINING).contains("no longer wants it"));
        assertThat(harness.events(EventReason.BootstrapAbandonFinished)).hasSize(1);
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            assertThat(harness.controllers.claimUids.get("c-dc1-rack1-" + ordinal)).hasSize(1);
        }
    }

    @Test
    void aMemberWhoseVolumeJoinedIsNeverAbandoned() {
        startJoiningFourthMember();
        String claimUid = claim(JOINING).getMetadata().getUid();
        // Cassandra says JOINING, but the volume reached NORMAL before (a restart): its data may be the ring's.
        harness.agents.node(JOINING, "JOINING", true);
        editMembers(3);
        await().atMost(STEP).until(() -> progressing().contains("volumeJoined true"));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> !records(JOINING).containsKey(Contract.Annotations.BOOTSTRAP_ABANDON_CAUSE));
        // An agent that says nothing abandons nothing either.
        harness.agents.node(JOINING, "JOINING", null);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> !records(JOINING).containsKey(Contract.Annotations.BOOTSTRAP_ABANDON_CAUSE));
        assertThat(replicas()).isEqualTo(4);
        assertThat(claim(JOINING).getMetadata().getUid()).isEqualTo(claimUid);
        assertThat(harness.events(EventReason.BootstrapAbandoned)).isEmpty();

        // Once it is ready it leaves the safe way: a decommission.
        harness.controllers.markReady(JOINING);
        await().atMost(STEP).until(() -> harness.agents.posts(JOINING) == 1);
    }

    /**
     * Issue #23's first sequence: member 2 loses its volume while member 3 joins. Member 3's bootstrap is abandoned
     * first, then member 2 is replaced, then member 3 joins again as a fresh member (a new Service and claim).
     */
    @Test
    void aLostMemberWaitingForAJoiningOneGetsItsBootstrapAbandonedThenIsReplacedThenTheMemberJoinsFresh() {
        String address = startJoiningFourthMember();
        String lost = "c-dc1-rack1-2";
        String serviceUid = harness.service(JOINING).getMetadata().getUid();
        harness.agents.repairOutcome = OperationState.DONE;

        crashLoop(lost, Contract.AgentExit.VOLUME_LOST);
        await().atMost(STEP).until(() -> records(JOINING).containsKey(Contract.Annotations.BOOTSTRAP_ABANDON_CAUSE));
        harness.stopOperator();
        assertThat(records(JOINING).get(Contract.Annotations.BOOTSTRAP_ABANDON_CAUSE)).contains("member " + lost + " must be replaced");
        assertThat(records(lost)).as("no replacement while the bootstrap is being abandoned")
                .doesNotContainKey(Contract.Annotations.REPLACE_CAUSE);

        harness.startOperator();
        await().atMost(STEP).until(() -> replicas() == 3 && !podExists(JOINING) && progressing().contains("still knows " + address));
        assertThat(claim(JOINING)).as("kept while the ring knows the member").isNotNull();
        assertThat(records(lost)).doesNotContainKey(Contract.Annotations.REPLACE_CAUSE);
        harness.agents.joiningInRing.remove(address);
        await().atMost(STEP).until(() -> claim(JOINING) == null);

        // The abandonment finished: the replacement of the lost member starts, and only then.
        await().atMost(STEP).until(() -> records(lost).containsKey(Contract.Annotations.REPLACE_CAUSE));
        assertThat(harness.events(EventReason.BootstrapAbandonFinished)).hasSize(1);
        await().atMost(STEP).until(() -> harness.controllers.claimUids.get(lost).size() == 2);
        harness.controllers.markReady(lost);
        await().atMost(STEP).until(() -> !records(lost).containsKey(Contract.Annotations.REPLACE_CAUSE));

        // The spec still wants 4: member 3 joins again, fresh.
        await().atMost(STEP).until(() -> harness.service(JOINING) != null && podExists(JOINING));
        assertThat(harness.service(JOINING).getMetadata().getUid()).isNotEqualTo(serviceUid);
        assertThat(harness.controllers.claimUids.get(JOINING)).hasSize(2);
        harness.controllers.markReady(JOINING);
        harness.awaitReady("c", 4);
        assertThat(harness.events(EventReason.BootstrapAbandoned)).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains(lost + " must be replaced"));
        assertThat(harness.events(EventReason.ReplacementStarted)).hasSize(1);
        assertThat(harness.controllers.violations).as("only the lost member and the joining one were ever unready together")
                .allMatch(v -> v.contains("more than one member joining"));
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
}
