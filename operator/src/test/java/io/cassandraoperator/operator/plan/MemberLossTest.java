package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract.AgentExit;
import io.cassandraoperator.api.Contract.Annotations;
import io.cassandraoperator.api.Contract.Labels;
import io.cassandraoperator.api.NodeLossSpec;
import io.cassandraoperator.operator.TestClusters;
import io.cassandraoperator.operator.observe.MemberRecords;
import io.cassandraoperator.operator.observe.ObservedCluster;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MemberLossTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final NodeLossPolicy POLICY = new NodeLossPolicy(true, Duration.ofMinutes(5));
    private static final Service SERVICE = new ServiceBuilder().withNewMetadata().withName("c-dc1-r1-0").addToLabels(Labels.RACK, "r1")
            .endMetadata().build();
    private static final PersistentVolumeClaim BOUND = claim("c-dc1-r1-0", "pv-1");
    /** Node names differ from their hostname labels, as on many clouds. */
    private static final Node NODE_1 = node("node-1.internal", "host-1");

    private static Node node(String name, String hostname) {
        return new NodeBuilder().withNewMetadata().withName(name).addToLabels(VolumeNodeAffinity.HOSTNAME_KEY, hostname).endMetadata().build();
    }

    private static PersistentVolumeClaim claim(String member, String volume) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName("data-" + member).endMetadata()
                .withNewSpec().withVolumeName(volume).endSpec().build();
    }

    private static PersistentVolume volume(String name, String hostname, String phase) {
        return new PersistentVolumeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression()
                    .withKey(VolumeNodeAffinity.HOSTNAME_KEY).withOperator("In").withValues(hostname)
                .endMatchExpression().endNodeSelectorTerm().endRequired().endNodeAffinity().endSpec()
                .withNewStatus().withPhase(phase).endStatus().build();
    }

    private static Service absentSince(Service service, Instant since) {
        return new ServiceBuilder(service).editMetadata().addToAnnotations(Annotations.NODE_ABSENT_SINCE, since.toString()).endMetadata().build();
    }

    private static Pod pod(String name, boolean ready) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus()
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition().endStatus().build();
    }

    private static Pod pod(boolean ready, int lastExitCode) {
        return new PodBuilder().withNewMetadata().withName("c-dc1-r1-0").endMetadata().withNewStatus()
                .addNewContainerStatus().withName("cassandra").withReady(ready).withRestartCount(1)
                    .withNewLastState().withNewTerminated().withExitCode(lastExitCode).endTerminated().endLastState()
                .endContainerStatus().endStatus().build();
    }

    @Test
    void aMemberOnAVolumeOfANodeWhoseNameDiffersFromItsHostnameIsNotLost() {
        Service recordedLongAgo = absentSince(SERVICE, NOW.minus(Duration.ofHours(1)));
        assertThat(MemberLoss.cause(recordedLongAgo, null, List.of(BOUND), Map.of("pv-1", volume("pv-1", "host-1", "Bound")), List.of(NODE_1),
                POLICY, NOW)).isEmpty();
        assertThat(MemberLoss.orphanedVolume(List.of(BOUND), Map.of("pv-1", volume("pv-1", "host-1", "Bound")), List.of(NODE_1))).isEmpty();
    }

    @Test
    void anUnboundClaimLosesNothing() {
        PersistentVolumeClaim pending = new PersistentVolumeClaimBuilder(BOUND).editSpec().withVolumeName(null).endSpec().build();
        assertThat(MemberLoss.cause(SERVICE, null, List.of(pending), Map.of(), List.of(NODE_1), POLICY, NOW)).isEmpty();
    }

    @Test
    void aVolumeNoNodeSatisfiesIsLostOnlyOnceItsRecordIsOlderThanTheGracePeriod() {
        Map<String, PersistentVolume> volumes = Map.of("pv-1", volume("pv-1", "host-9", "Bound"));
        assertThat(MemberLoss.orphanedVolume(List.of(BOUND), volumes, List.of(NODE_1)))
                .hasValueSatisfying(e -> assertThat(e).contains("kubernetes.io/hostname In [host-9]").contains("pv-1"));
        assertThat(MemberLoss.cause(SERVICE, null, List.of(BOUND), volumes, List.of(NODE_1), POLICY, NOW)).as("no record").isEmpty();
        Service recent = absentSince(SERVICE, NOW.minus(Duration.ofMinutes(4)));
        assertThat(MemberLoss.cause(recent, null, List.of(BOUND), volumes, List.of(NODE_1), POLICY, NOW)).as("within the grace period").isEmpty();
        Service old = absentSince(SERVICE, NOW.minus(Duration.ofMinutes(5)));
        assertThat(MemberLoss.cause(old, null, List.of(BOUND), volumes, List.of(NODE_1), POLICY, NOW))
                .hasValueSatisfying(c -> assertThat(c).contains("host-9").contains("grace period 5m"));
        assertThat(MemberLoss.cause(old, pod("c-dc1-r1-0", true), List.of(BOUND), volumes, List.of(NODE_1), POLICY, NOW))
                .as("a ready member is serving").isEmpty();
        assertThat(MemberLoss.cause(old, null, List.of(BOUND), volumes, List.of(NODE_1), new NodeLossPolicy(false, Duration.ofMinutes(5)), NOW))
                .as("replacement on node loss is off").isEmpty();
        assertThat(MemberLoss.cause(old, null, List.of(BOUND), volumes, List.of(), POLICY, NOW)).as("no Nodes to judge by").isEmpty();
    }

    @Test
    void anUnreadableRecordCountsAsNone() {
        Service garbled = new ServiceBuilder(SERVICE).editMetadata().addToAnnotations(Annotations.NODE_ABSENT_SINCE, "yesterday").endMetadata().build();
        assertThat(MemberLoss.absentSince(garbled)).isEmpty();
    }

    @Test
    void aMissingOrFailedVolumeIsLost() {
        assertThat(MemberLoss.cause(SERVICE, null, List.of(BOUND), Map.of(), List.of(NODE_1), POLICY, NOW))
                .hasValueSatisfying(c -> assertThat(c).contains("gone"));
        assertThat(MemberLoss.cause(SERVICE, null, List.of(BOUND), Map.of("pv-1", volume("pv-1", "host-1", "Failed")), List.of(NODE_1), POLICY, NOW))
                .hasValueSatisfying(c -> assertThat(c).contains("failed"));
    }

    @Test
    void theLabelRequestsAReplacementOfAHealthyMember() {
        Service labelled = new ServiceBuilder(SERVICE).editMetadata().addToLabels(Labels.REPLACE, "").endMetadata().build();
        assertThat(MemberLoss.cause(labelled, pod("c-dc1-r1-0", true), List.of(BOUND), Map.of("pv-1", volume("pv-1", "host-1", "Bound")),
                List.of(NODE_1), new NodeLossPolicy(false, Duration.ofMinutes(5)), NOW))
                .hasValueSatisfying(c -> assertThat(c).contains(Labels.REPLACE));
    }

    @Test
    void theAgentsLostVolumeExitCodeOnAContainerThatIsNotReadyMeansLost() {
        assertThat(MemberLoss.cause(SERVICE, pod(false, AgentExit.VOLUME_LOST), List.of(BOUND), Map.of("pv-1", volume("pv-1", "host-1", "Bound")),
                List.of(NODE_1), POLICY, NOW)).hasValueSatisfying(c -> assertThat(c).contains("exit code " + AgentExit.VOLUME_LOST));
    }

    @Test
    void anotherCrashLoopOrAReadyContainerIsNotLost() {
        Map<String, PersistentVolume> volumes = Map.of("pv-1", volume("pv-1", "host-1", "Bound"));
        assertThat(MemberLoss.cause(SERVICE, pod(false, 3), List.of(BOUND), volumes, List.of(NODE_1), POLICY, NOW)).isEmpty();
        assertThat(MemberLoss.cause(SERVICE, pod(true, AgentExit.VOLUME_LOST), List.of(BOUND), volumes, List.of(NODE_1), POLICY, NOW)).isEmpty();
        Pod terminatedNow = new PodBuilder(pod(false, 0)).editStatus().editFirstContainerStatus().withNewState().withNewTerminated()
                .withExitCode(AgentExit.VOLUME_LOST).endTerminated().endState().endContainerStatus().endStatus().build();
        assertThat(MemberLoss.reportsLostVolume(terminatedNow)).isTrue();
    }

    /** A cluster of three members c-dc1-rack1-{0,1,2}, each on its own host; member 1's host is given by the test. */
    private static final class Members {
        final Cluster cluster = TestClusters.cluster("c", "ns", 3);
        final Map<String, Service> services = new HashMap<>();
        final Map<String, Pod> pods = new HashMap<>();
        final Map<String, PersistentVolumeClaim> claims = new HashMap<>();
        final Map<String, PersistentVolume> volumes = new HashMap<>();
        final List<Node> nodes = new ArrayList<>(List.of(node("n0", "h0"), node("n1", "h1"), node("n2", "h2")));

        Members() {
            for (int i = 0; i < 3; i++) {
                String member = "c-dc1-rack1-" + i;
                services.put(member, new ServiceBuilder().withNewMetadata().withName(member).withUid("uid-" + i).endMetadata().build());
                pods.put(member, pod(member, true));
                claims.put("data-" + member, claim(member, "pv-" + i));
                volumes.put("pv-" + i, volume("pv-" + i, "h" + i, "Bound"));
            }
        }

        Members nodeGone(int ordinal) {
            nodes.removeIf(n -> n.getMetadata().getLabels().get(VolumeNodeAffinity.HOSTNAME_KEY).equals("h" + ordinal));
            pods.put("c-dc1-rack1-" + ordinal, pod("c-dc1-rack1-" + ordinal, false));
            return this;
        }

        Members recorded(int ordinal, Instant since) {
            services.computeIfPresent("c-dc1-rack1-" + ordinal, (k, s) -> absentSince(s, since));
            return this;
        }

        Members nodeLoss(boolean replace, String grace) {
            NodeLossSpec spec = new NodeLossSpec();
            spec.setReplace(replace);
            spec.setGracePeriod(grace);
            cluster.getSpec().setNodeLoss(spec);
            return this;
        }

        MemberLoss.Assessment assess(Instant now) {
            StatefulSet set = new StatefulSetBuilder().withNewMetadata().withName("c-dc1-rack1").endMetadata().withNewSpec().withReplicas(3)
                    .endSpec().build();
            ObservedCluster observed = new ObservedCluster(Map.of("c-dc1-rack1", set), services, pods, claims, Map.of(), Map.of(), Map.of(),
                    volumes, nodes);
            return MemberLoss.assess(cluster, observed, MemberRecords.of(cluster, observed), now);
        }
    }

    @Test
    void healthyMembersOnNodesNamedUnlikeTheirHostnamesAreNotJudged() {
        MemberLoss.Assessment assessment = new Members().assess(NOW);
        assertThat(assessment.losses()).isEmpty();
        assertThat(assessment.unrecorded()).isEmpty();
        assertThat(assessment.awaited()).isEmpty();
        assertThat(assessment.returned()).isEmpty();
    }

    @Test
    void anAbsentNodeIsFirstRecordedThenAwaitedThenTheMemberIsLost() {
        MemberLoss.Assessment first = new Members().nodeGone(1).assess(NOW);
        assertThat(first.losses()).isEmpty();
        assertThat(first.unrecorded()).singleElement().satisfies(a -> {
            assertThat(a.member()).isEqualTo("c-dc1-rack1-1");
            assertThat(a.since()).isNull();
            assertThat(a.evidence()).contains("[h1]");
        });

        Instant since = NOW.minus(Duration.ofMinutes(4));
        MemberLoss.Assessment waiting = new Members().nodeGone(1).recorded(1, since).assess(NOW);
        assertThat(waiting.losses()).isEmpty();
        assertThat(waiting.awaited()).singleElement().satisfies(a -> assertThat(a.replaceAt()).isEqualTo(since.plus(Duration.ofMinutes(5))));
        assertThat(waiting.over(new ScaleStep.Wait("waiting for member c-dc1-rack1-1 to be ready")))
                .isInstanceOfSatisfying(ScaleStep.AwaitNodeReturn.class, s -> assertThat(s.progress())
                        .contains("replaced on an empty disk at " + since.plus(Duration.ofMinutes(5))).contains("unless the Node comes back"));
        ScaleStep running = new ScaleStep.ContinueCleanup("rack1", "c-dc1-rack1-0", "run");
        assertThat(waiting.over(running)).as("only a wait gives way").isSameAs(running);

        MemberLoss.Assessment due = new Members().nodeGone(1).recorded(1, NOW.minus(Duration.ofMinutes(5))).assess(NOW);
        assertThat(due.losses()).singleElement().satisfies(l -> {
            assertThat(l.member()).isEqualTo("c-dc1-rack1-1");
            assertThat(l.cause()).contains("[h1]").contains("grace period 5m");
            assertThat(l.refusal()).isNull();
        });
    }

    @Test
    void theGracePeriodIsTheClusters() {
        Instant since = NOW.minus(Duration.ofSeconds(20));
        assertThat(new Members().nodeGone(1).recorded(1, since).assess(NOW).losses()).isEmpty();
        assertThat(new Members().nodeLoss(true, "15s").nodeGone(1).recorded(1, since).assess(NOW).losses()).hasSize(1);
    }

    @Test
    void aNodeThatComesBackOrAMemberReadyAgainEndsTheRecord() {
        Instant since = NOW.minus(Duration.ofMinutes(1));
        MemberLoss.Assessment back = new Members().recorded(1, since).assess(NOW);
        assertThat(back.returned()).singleElement().satisfies(r -> {
            assertThat(r.member()).isEqualTo("c-dc1-rack1-1");
            assertThat(r.since()).isEqualTo(since);
        });
        Members readyAgain = new Members().nodeGone(1).recorded(1, since);
        readyAgain.pods.put("c-dc1-rack1-1", pod("c-dc1-rack1-1", true));
        assertThat(readyAgain.assess(NOW).returned()).singleElement().satisfies(r -> assertThat(r.why()).contains("ready again"));
    }

    @Test
    void withReplacementOffAnAbsenceIsRecordedAndReportedButNeverDue() {
        MemberLoss.Assessment off = new Members().nodeLoss(false, null).nodeGone(1).recorded(1, NOW.minus(Duration.ofDays(1))).assess(NOW);
        assertThat(off.losses()).isEmpty();
        assertThat(off.awaited()).singleElement().satisfies(a -> assertThat(a.replaceAt()).isNull());
        assertThat(off.over(new ScaleStep.Wait("w"))).isInstanceOfSatisfying(ScaleStep.AwaitNodeReturn.class,
                s -> assertThat(s.progress()).contains("spec.nodeLoss.replace: false").contains(Labels.REPLACE));
        assertThat(new Members().nodeLoss(false, null).nodeGone(1).assess(NOW).unrecorded()).hasSize(1);
    }

    @Test
    void theNodeCacheEmptyJudgesNoVolume() {
        Members members = new Members().nodeGone(1).recorded(1, NOW.minus(Duration.ofDays(1)));
        members.nodes.clear();
        MemberLoss.Assessment assessment = members.assess(NOW);
        assertThat(assessment.losses()).isEmpty();
        assertThat(assessment.unrecorded()).isEmpty();
    }

    @Test
    void aLossIsRefusedWhenFewerThanTwoOtherMembersAreReady() {
        Members members = new Members().nodeGone(1).recorded(1, NOW.minus(Duration.ofMinutes(10)));
        members.pods.put("c-dc1-rack1-2", pod("c-dc1-rack1-2", false));
        assertThat(members.assess(NOW).losses()).singleElement()
                .satisfies(l -> assertThat(l.refusal()).contains("only 1 other member(s) are ready"));
        Members labelled = new Members();
        labelled.services.computeIfPresent("c-dc1-rack1-0", (k, s) -> new ServiceBuilder(s).editMetadata().addToLabels(Labels.REPLACE, "true")
                .endMetadata().build());
        labelled.pods.put("c-dc1-rack1-2", pod("c-dc1-rack1-2", false));
        assertThat(labelled.assess(NOW).losses()).singleElement().satisfies(l -> assertThat(l.refusal()).contains("only 1 other"));
    }

    @Test
    void aLossIsRefusedWithAReplicationFactorBelowTwo() {
        Members members = new Members();
        members.cluster.getSpec().getDatacenter().setReplicationFactor(1);
        members.services.computeIfPresent("c-dc1-rack1-0", (k, s) -> new ServiceBuilder(s).editMetadata().addToLabels(Labels.REPLACE, "true")
                .endMetadata().build());
        assertThat(members.assess(NOW).losses()).singleElement()
                .satisfies(l -> assertThat(l.refusal()).contains("replicationFactor is 1").contains("only copy"));
        members.cluster.getSpec().getDatacenter().setReplicationFactor(2);
        assertThat(members.assess(NOW).losses()).singleElement().satisfies(l -> assertThat(l.refusal()).isNull());
    }
}
