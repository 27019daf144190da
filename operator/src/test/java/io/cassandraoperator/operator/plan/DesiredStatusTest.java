package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.ClusterStatus;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.api.RackStatus;
import io.cassandraoperator.operator.TestClusters;
import io.cassandraoperator.operator.model.RackStatefulSet;
import io.cassandraoperator.operator.observe.ObservedCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class DesiredStatusTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-01T01:00:00Z");
    private final Cluster cluster = TestClusters.cluster("c", "ns", 3, 2);

    private ObservedCluster observed(int rack1, int rack2, String... readyPods) {
        Map<String, StatefulSet> sets = new TreeMap<>();
        sets.put("c-dc1-rack1", RackStatefulSet.build(cluster, cluster.getSpec().getDatacenter().getRacks().get(0), rack1));
        sets.put("c-dc1-rack2", RackStatefulSet.build(cluster, cluster.getSpec().getDatacenter().getRacks().get(1), rack2));
        Map<String, Pod> pods = new TreeMap<>();
        for (String pod : readyPods) {
            pods.put(pod, new PodBuilder().withNewMetadata().withName(pod).endMetadata()
                    .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build());
        }
        return new ObservedCluster(sets, Map.of(), pods, Map.of(), Map.of(), Map.of(), Map.of());
    }

    private static String condition(ClusterStatus status, String type) {
        Condition c = DesiredStatus.condition(status, type).orElseThrow();
        return c.getStatus() + "/" + c.getReason();
    }

    @Test
    void countsMembersAndReadyMembersPerRackAndInTotal() {
        ClusterStatus status = DesiredStatus.compute(cluster, observed(3, 2, "c-dc1-rack1-0", "c-dc1-rack1-1", "c-dc1-rack2-0"),
                Optional.empty(), new ScaleStep.Wait("waiting for member c-dc1-rack1-2 to be ready"), null, T0);
        assertThat(status.getObservedGeneration()).isEqualTo(1L);
        assertThat(status.getRacks().get("rack1").getMembers()).isEqualTo(3);
        assertThat(status.getRacks().get("rack1").getReadyMembers()).isEqualTo(2);
        assertThat(status.getRacks().get("rack2").getReadyMembers()).isEqualTo(1);
        assertThat(status.getMembers()).isEqualTo(5);
        assertThat(status.getReadyMembers()).isEqualTo(3);
        assertThat(condition(status, "Ready")).isEqualTo("False/MembersNotReady");
        assertThat(condition(status, "Progressing")).isEqualTo("True/Waiting");
        assertThat(DesiredStatus.condition(status, "Progressing").orElseThrow().getMessage()).contains("c-dc1-rack1-2");
        assertThat(condition(status, "Degraded")).isEqualTo("False/AsExpected");
    }

    @Test
    void readyWhenEveryWantedMemberIsReadyAndNothingIsLeft() {
        ClusterStatus status = DesiredStatus.compute(cluster, observed(3, 2, "c-dc1-rack1-0", "c-dc1-rack1-1", "c-dc1-rack1-2",
                "c-dc1-rack2-0", "c-dc1-rack2-1"), Optional.empty(), new ScaleStep.Steady(), null, T0);
        assertThat(condition(status, "Ready")).isEqualTo("True/AllMembersReady");
        assertThat(condition(status, "Progressing")).isEqualTo("False/Steady");
    }

    @Test
    void aLeavingMemberShowsOnItsRack() {
        ClusterStatus status = DesiredStatus.compute(cluster, observed(4, 2), Optional.empty(),
                new ScaleStep.ContinueDecommission("rack1", 3, "c-dc1-rack1-3"), null, T0);
        assertThat(status.getRacks().get("rack1").getConditions()).extracting(RackStatus.RackCondition::getType, RackStatus.RackCondition::getStatus)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("MemberLeaving", "True"));
        assertThat(status.getRacks().get("rack2").getConditions()).isEmpty();
        assertThat(condition(status, "Progressing")).isEqualTo("True/Decommissioning");
    }

    @Test
    void aRefusedReplacementAndANodeLossLeftToTheUserAreDegradedAWaitedOneIsProgress() {
        ObservedCluster observed = observed(3, 2, "c-dc1-rack1-0", "c-dc1-rack2-0", "c-dc1-rack2-1");
        ClusterStatus refused = DesiredStatus.compute(cluster, observed, Optional.empty(),
                new ScaleStep.ReplacementRefused("rack1", "c-dc1-rack1-1", "requested", "datacenter.replicationFactor is 1"), null, T0);
        assertThat(condition(refused, "Degraded")).isEqualTo("True/ReplacementRefused");
        assertThat(DesiredStatus.condition(refused, "Degraded").orElseThrow().getMessage())
                .contains("c-dc1-rack1-1").contains("requested").contains("replicationFactor is 1");
        assertThat(condition(refused, "Progressing")).isEqualTo("False/ReplacementRefused");

        ClusterStatus off = DesiredStatus.compute(cluster, observed, Optional.empty(),
                new ScaleStep.AwaitNodeReturn("c-dc1-rack1-1", "no Node satisfies it", T0, null), null, T1);
        assertThat(condition(off, "Degraded")).isEqualTo("True/NodeLossNotReplaced");
        assertThat(DesiredStatus.condition(off, "Degraded").orElseThrow().getMessage()).contains("spec.nodeLoss.replace: false");

        ClusterStatus waiting = DesiredStatus.compute(cluster, observed, Optional.empty(),
                new ScaleStep.AwaitNodeReturn("c-dc1-rack1-1", "no Node satisfies it", T0, T1), null, T0);
        assertThat(condition(waiting, "Degraded")).isEqualTo("False/AsExpected");
        assertThat(condition(waiting, "Progressing")).isEqualTo("True/AwaitingNodeReturn");
        assertThat(DesiredStatus.condition(waiting, "Progressing").orElseThrow().getMessage()).contains("replaced on an empty disk at " + T1);
    }

    @Test
    void refusalAndFailedDecommissionAreDegraded() {
        ClusterStatus refused = DesiredStatus.compute(cluster, observed(3, 2), Optional.of(new Refusal(EventReason.DatacenterRenameRefused, "no")),
                new ScaleStep.Steady(), null, T0);
        assertThat(condition(refused, "Degraded")).isEqualTo("True/DatacenterRenameRefused");
        assertThat(condition(refused, "Ready")).isEqualTo("False/DatacenterRenameRefused");
        ClusterStatus failed = DesiredStatus.compute(cluster, observed(4, 2), Optional.empty(),
                new ScaleStep.DecommissionFailed("rack1", "c-dc1-rack1-3", "Cassandra said no"), null, T0);
        assertThat(condition(failed, "Degraded")).isEqualTo("True/DecommissionFailed");
        assertThat(DesiredStatus.condition(failed, "Degraded").orElseThrow().getMessage()).contains("Cassandra said no");
    }

    @Test
    void transitionTimesMoveOnlyWhenAConditionChanges() {
        ObservedCluster observed = observed(3, 2);
        ClusterStatus first = DesiredStatus.compute(cluster, observed, Optional.empty(), new ScaleStep.Wait("x"), null, T0);
        ClusterStatus same = DesiredStatus.carryTransitionTimes(first,
                DesiredStatus.compute(cluster, observed, Optional.empty(), new ScaleStep.Wait("x"), null, T1));
        assertThat(DesiredStatus.same(first, same)).isTrue();
        ClusterStatus changed = DesiredStatus.carryTransitionTimes(first,
                DesiredStatus.compute(cluster, observed, Optional.of(new Refusal(EventReason.UnsupportedMode, "m")), new ScaleStep.Steady(), null, T1));
        assertThat(DesiredStatus.condition(changed, "Degraded").orElseThrow().getLastTransitionTime()).isEqualTo(T1.toString());
        assertThat(DesiredStatus.condition(changed, "Ready").orElseThrow().getLastTransitionTime()).isEqualTo(T0.toString());
    }

    @Test
    void showsEachMembersVersionAndHowManyRunTheNewestTemplateDuringAnUpgrade() {
        ObservedCluster rolling = observed(3, 2);
        rolling.statefulSets().get("c-dc1-rack1").setStatus(new io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder()
                .withCurrentRevision("old").withUpdateRevision("new").build());
        rolling.pods().put("c-dc1-rack1-0", pod("c-dc1-rack1-0", "5.0.6", "old"));
        rolling.pods().put("c-dc1-rack1-1", pod("c-dc1-rack1-1", "5.0.6", "old"));
        rolling.pods().put("c-dc1-rack1-2", pod("c-dc1-rack1-2", "5.0.8", "new"));

        ClusterStatus status = DesiredStatus.compute(cluster, rolling, Optional.empty(), new ScaleStep.Steady(), null, T0);

        assertThat(status.getMemberVersions()).containsExactly(Map.entry("c-dc1-rack1-0", "5.0.6"),
                Map.entry("c-dc1-rack1-1", "5.0.6"), Map.entry("c-dc1-rack1-2", "5.0.8"));
        assertThat(status.getUpdatedMembers()).as("one pod on rack1's update revision; rack2's StatefulSet has no status yet").isEqualTo(1);
    }

    private static Pod pod(String name, String version, String revision) {
        return new PodBuilder().withNewMetadata().withName(name).addToLabels(io.cassandraoperator.api.Contract.Labels.REVISION, revision)
                .endMetadata().withNewSpec().addNewContainer().withName("cassandra").withImage("cassandra-operator/cassandra:" + version)
                .endContainer().endSpec().build();
    }
}
