package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.ClusterStatus;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.VersionNumber;
import io.cassandraoperator.operator.TestClusters;
import io.cassandraoperator.operator.model.DesiredHash;
import io.cassandraoperator.operator.model.RackStatefulSet;
import io.cassandraoperator.operator.observe.MemberRecords;
import io.cassandraoperator.operator.observe.ObservedCluster;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 17, rule 6 as pure decisions: which version the data has, when a template may be fixed, which pod is stuck. */
class TemplateFixTest {
    private static final String SET = "c-dc1-rack1";

    private final Cluster cluster = TestClusters.cluster("c", "ns", 3);

    /** The rack's StatefulSet as written for {@code version}, its controller at {@code current} → {@code update}. */
    private StatefulSet set(String version, String current, String update) {
        Cluster written = TestClusters.cluster("c", "ns", 3);
        written.getSpec().setVersion(version);
        StatefulSet set = RackStatefulSet.build(written, written.getSpec().getDatacenter().getRacks().get(0), 0);
        set.getMetadata().setAnnotations(Map.of(Contract.Annotations.VERSION, version, DesiredHash.ANNOTATION, DesiredHash.of(set)));
        set.getSpec().setReplicas(3);
        set.getMetadata().setGeneration(2L);
        set.setStatus(new StatefulSetStatusBuilder().withObservedGeneration(2L).withCurrentRevision(current).withUpdateRevision(update).build());
        return set;
    }

    private static Pod pod(int ordinal, String version, String revision, boolean ready, boolean neverStarted) {
        ContainerStatusBuilder container = new ContainerStatusBuilder().withName(RackStatefulSet.CONTAINER).withRestartCount(0);
        if (neverStarted) {
            container.withNewState().withNewWaiting().withReason("ErrImagePull").endWaiting().endState();
        } else {
            container.withNewState().withNewRunning().endRunning().endState();
        }
        return new PodBuilder().withNewMetadata().withName(SET + "-" + ordinal)
                .addToLabels(Contract.Labels.REVISION, revision).endMetadata()
                .withNewSpec().withNodeName("node-1").addNewContainer().withName(RackStatefulSet.CONTAINER)
                .withImage("cassandra-operator/cassandra:" + version).endContainer().endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .withContainerStatuses(container.build()).endStatus()
                .build();
    }

    private static ObservedCluster observed(StatefulSet set, Pod... pods) {
        Map<String, Pod> byName = new TreeMap<>();
        for (Pod pod : pods) {
            byName.put(pod.getMetadata().getName(), pod);
        }
        return new ObservedCluster(Map.of(SET, set), Map.of(), byName, Map.of(), Map.of(), Map.of(), Map.of());
    }

    private static MemberRecords records(Cluster cluster, ObservedCluster observed) {
        return MemberRecords.of(cluster, observed);
    }

    @Test
    void theFloorCountsWhatMayHaveRunTheMarkOnlyWhatRanAndNeitherGoesDown() {
        StatefulSet broken = set("5.0.99", "good", "bad");
        ObservedCluster rolledFirstNeverStarted = observed(broken, pod(0, "5.0.6", "good", true, false),
                pod(1, "5.0.6", "good", true, false), pod(2, "5.0.99", "bad", false, true));
        assertThat(floor(rolledFirstNeverStarted)).contains(VersionNumber.parse("5.0.6"));
        assertThat(DataVersion.ran(cluster, rolledFirstNeverStarted)).contains(VersionNumber.parse("5.0.6"));

        ObservedCluster rolledFirstStarted = observed(broken, pod(0, "5.0.6", "good", true, false),
                pod(1, "5.0.6", "good", true, false), pod(2, "5.0.99", "bad", false, false));
        assertThat(floor(rolledFirstStarted)).as("a container that ran may have rewritten files").contains(VersionNumber.parse("5.0.99"));
        assertThat(DataVersion.ran(cluster, rolledFirstStarted)).contains(VersionNumber.parse("5.0.99"));

        ObservedCluster memberWithoutPod = observed(broken, pod(0, "5.0.6", "good", true, false), pod(1, "5.0.6", "good", true, false));
        assertThat(floor(memberWithoutPod)).as("unknown what ran on a claim without pod: the rack's version")
                .contains(VersionNumber.parse("5.0.99"));
        assertThat(DataVersion.ran(cluster, memberWithoutPod)).as("but a pod gone for a moment is no evidence for the mark")
                .contains(VersionNumber.parse("5.0.6"));

        Pod justScheduled = new PodBuilder(pod(2, "5.0.99", "bad", false, true)).editStatus().withContainerStatuses().endStatus().build();
        ObservedCluster noContainerStatusYet = observed(broken, pod(0, "5.0.6", "good", true, false), pod(1, "5.0.6", "good", true, false), justScheduled);
        assertThat(floor(noContainerStatusYet)).as("scheduled, status unknown: may have run").contains(VersionNumber.parse("5.0.99"));
        assertThat(DataVersion.ran(cluster, noContainerStatusYet)).contains(VersionNumber.parse("5.0.6"));

        cluster.setStatus(new ClusterStatus());
        cluster.getStatus().setDataVersion("5.0.7");
        assertThat(DataVersion.ran(cluster, rolledFirstNeverStarted)).as("the previous mark stays").contains(VersionNumber.parse("5.0.7"));
        assertThat(floor(rolledFirstNeverStarted)).contains(VersionNumber.parse("5.0.7"));
    }

    private Optional<VersionNumber> floor(ObservedCluster observed) {
        return DataVersion.floor(cluster, observed.statefulSets().values(), observed.pods());
    }

    @Test
    void aVersionThatNeverRanMayBeSetBackButNotBelowTheData() {
        StatefulSet broken = set("5.0.99", "good", "bad");
        ObservedCluster observed = observed(broken, pod(0, "5.0.6", "good", true, false),
                pod(1, "5.0.6", "good", true, false), pod(2, "5.0.99", "bad", false, true));
        assertThat(ChangeRefusal.check(cluster, observed.statefulSets().values(), observed.pods())).isEmpty();
        cluster.getSpec().setVersion("5.0.5");
        assertThat(ChangeRefusal.check(cluster, observed.statefulSets().values(), observed.pods())).get()
                .satisfies(r -> assertThat(r.message()).contains("5.0.6"));
    }

    @Test
    void theTemplateOfARackWhoseNewestRevisionAloneIsUnreadyIsAdmitted() {
        StatefulSet broken = set("5.0.99", "good", "bad");
        ObservedCluster observed = observed(broken, pod(0, "5.0.6", "good", true, false),
                pod(1, "5.0.6", "good", true, false), pod(2, "5.0.99", "bad", false, true));
        RolloutGate.Rollout rollout = RolloutGate.plan(cluster, observed);
        assertThat(rollout.admitted()).singleElement().satisfies(s -> assertThat(s.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .endsWith(":5.0.6"));
        assertThat(rollout.corrections()).singleElement().satisfies(c -> assertThat(c.reason()).contains(SET + "-2").contains("bad"));
    }

    @Test
    void aMemberUnreadyOnAnOlderRevisionOrWithoutARolloutHoldsTheTemplateBack() {
        StatefulSet broken = set("5.0.99", "good", "bad");
        ObservedCluster olderAlsoUnready = observed(broken, pod(0, "5.0.6", "good", false, false),
                pod(1, "5.0.6", "good", true, false), pod(2, "5.0.99", "bad", false, true));
        assertThat(RolloutGate.plan(cluster, olderAlsoUnready).admitted()).isEmpty();

        StatefulSet rolledOut = set("5.0.99", "same", "same");
        ObservedCluster unreadyAfterARollout = observed(rolledOut, pod(0, "5.0.99", "same", true, false),
                pod(1, "5.0.99", "same", false, false), pod(2, "5.0.99", "same", true, false));
        RolloutGate.Rollout rollout = RolloutGate.plan(cluster, unreadyAfterARollout);
        assertThat(rollout.admitted()).isEmpty();
        assertThat(rollout.heldBack()).contains(SET + "-1");
    }

    @Test
    void onlyAPodUnreadyOnARevisionThatIsNoLongerTheUpdateRevisionIsStuck() {
        StatefulSet fixed = set("5.0.6", "good", "good");
        ObservedCluster stuck = observed(fixed, pod(0, "5.0.6", "good", true, false),
                pod(1, "5.0.6", "good", true, false), pod(2, "5.0.99", "bad", false, true));
        assertThat(StuckPod.find(cluster, stuck, records(cluster, stuck))).get()
                .satisfies(s -> assertThat(s.pod().getMetadata().getName()).isEqualTo(SET + "-2"));

        ObservedCluster readyOnOldRevision = observed(set("5.0.7", "good", "new"), pod(0, "5.0.6", "good", true, false),
                pod(1, "5.0.6", "good", true, false), pod(2, "5.0.7", "new", true, false));
        assertThat(StuckPod.find(cluster, readyOnOldRevision, records(cluster, readyOnOldRevision))).as("ready: the controller rolls it").isEmpty();

        ObservedCluster unreadyOnUpdateRevision = observed(set("5.0.99", "good", "bad"), pod(0, "5.0.6", "good", true, false),
                pod(1, "5.0.6", "good", true, false), pod(2, "5.0.99", "bad", false, true));
        assertThat(StuckPod.find(cluster, unreadyOnUpdateRevision, records(cluster, unreadyOnUpdateRevision)))
                .as("on the update revision: a new template is its fix, not a delete").isEmpty();

        StatefulSet unseen = set("5.0.6", "good", "bad");
        unseen.getMetadata().setGeneration(3L);
        ObservedCluster controllerBehind = observed(unseen, pod(0, "5.0.6", "good", true, false),
                pod(1, "5.0.6", "good", true, false), pod(2, "5.0.99", "other", false, true));
        assertThat(StuckPod.find(cluster, controllerBehind, records(cluster, controllerBehind)))
                .as("the controller has not seen the latest template").isEqualTo(Optional.empty());
    }
}
