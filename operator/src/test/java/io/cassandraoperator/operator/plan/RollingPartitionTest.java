package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.agent.NodeStatus;
import io.cassandraoperator.operator.TestClusters;
import io.cassandraoperator.operator.model.RackStatefulSet;
import io.cassandraoperator.operator.observe.ObservedCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RollingPartitionTest {
    private static final String NEW = "rev-new";
    private static final String OLD = "rev-old";
    private final Cluster cluster = TestClusters.cluster("c", "ns", 3);

    @Test
    void aNewTemplateRestartsOnlyTheHighestMemberFirstAndAnUnchangedOneKeepsItsPartition() {
        StatefulSet current = rack(0, "template-a");
        assertThat(RollingPartition.strategyFor(current, rack(0, "template-b")).getRollingUpdate().getPartition()).isEqualTo(2);
        assertThat(RollingPartition.strategyFor(rack(1, "template-a"), rack(0, "template-a")).getRollingUpdate().getPartition())
                .as("a write that leaves the template keeps the partition the roll reached").isEqualTo(1);
    }

    @Test
    void theNextMemberWaitsUntilTheRestartedOneIsOnTheNewRevision() {
        ObservedCluster observed = observed(rack(2, "t"), Map.of(0, OLD, 1, OLD, 2, OLD));

        RollingPartition.Rolls rolls = RollingPartition.next(cluster, observed, everyoneSeesEveryone());

        assertThat(rolls.lower()).isEmpty();
        assertThat(rolls.waitingFor()).contains("member c-dc1-rack1-2 is not restarted on the new template yet");
    }

    @Test
    void aRestartedReadyMemberThatAnotherMemberHoldsDownInGossipKeepsTheNextOneRunning() {
        ObservedCluster observed = observed(rack(2, "t"), Map.of(0, OLD, 1, OLD, 2, NEW));
        Map<String, NodeStatus> views = everyoneSeesEveryone();
        views.put("c-dc1-rack1-0", view(List.of("127.0.2.1", "127.0.2.2"), List.of("127.0.2.3")));

        RollingPartition.Rolls rolls = RollingPartition.next(cluster, observed, views);

        assertThat(rolls.lower()).isEmpty();
        assertThat(rolls.waitingFor()).contains("c-dc1-rack1-0 do not see it UP in gossip yet").contains("no QUORUM request fails");
    }

    @Test
    void aMemberWhoseAgentDoesNotAnswerCountsAsNotSeeingIt() {
        ObservedCluster observed = observed(rack(2, "t"), Map.of(0, OLD, 1, OLD, 2, NEW));
        Map<String, NodeStatus> views = everyoneSeesEveryone();
        views.remove("c-dc1-rack1-1");

        assertThat(RollingPartition.next(cluster, observed, views).lower()).isEmpty();
    }

    @Test
    void aRestartedMemberThatDoesNotSeeTheOthersUpYetWaitsToo() {
        ObservedCluster observed = observed(rack(2, "t"), Map.of(0, OLD, 1, OLD, 2, NEW));
        Map<String, NodeStatus> views = everyoneSeesEveryone();
        views.put("c-dc1-rack1-2", view(List.of("127.0.2.3"), List.of()));

        RollingPartition.Rolls rolls = RollingPartition.next(cluster, observed, views);

        assertThat(rolls.lower()).isEmpty();
        assertThat(rolls.waitingFor()).contains("does not see c-dc1-rack1-0, c-dc1-rack1-1 UP");
    }

    @Test
    void onceEveryoneSeesItUpThePartitionGoesDownByOne() {
        StatefulSet rack = rack(2, "t");
        ObservedCluster observed = observed(rack, Map.of(0, OLD, 1, OLD, 2, NEW));

        RollingPartition.Rolls rolls = RollingPartition.next(cluster, observed, everyoneSeesEveryone());

        assertThat(rolls.waitingFor()).isNull();
        assertThat(rolls.lower()).singleElement().satisfies(lower -> {
            assertThat(lower.statefulSet()).isSameAs(rack);
            assertThat(lower.partition()).isEqualTo(1);
            assertThat(lower.message()).contains("member c-dc1-rack1-1 restarts next");
        });
    }

    @Test
    void aPartitionAboveTheMembersAfterAScaleDownGoesToTheHighestMember() {
        StatefulSet rack = new StatefulSetBuilder(rack(5, "t")).editSpec().withReplicas(3).endSpec().build();
        ObservedCluster observed = observed(rack, Map.of(0, OLD, 1, OLD, 2, OLD));

        assertThat(RollingPartition.next(cluster, observed, everyoneSeesEveryone()).lower())
                .singleElement().satisfies(lower -> assertThat(lower.partition()).isEqualTo(2));
    }

    @Test
    void noViewIsAskedForWhenNoRackRolls() {
        ObservedCluster steady = observed(rack(0, "t"), Map.of(0, NEW, 1, NEW, 2, NEW));
        ObservedCluster rolling = observed(rack(1, "t"), Map.of(0, OLD, 1, NEW, 2, NEW));

        assertThat(RollingPartition.viewsNeeded(steady)).isEmpty();
        assertThat(RollingPartition.viewsNeeded(rolling)).containsExactly("c-dc1-rack1-0", "c-dc1-rack1-1", "c-dc1-rack1-2");
    }

    private StatefulSet rack(int partition, String templateHash) {
        StatefulSet set = RackStatefulSet.build(cluster, cluster.getSpec().getDatacenter().getRacks().get(0), 3);
        set.getMetadata().getAnnotations().put(Contract.Annotations.TEMPLATE_HASH, templateHash);
        set.getSpec().getUpdateStrategy().setRollingUpdate(new io.fabric8.kubernetes.api.model.apps.RollingUpdateStatefulSetStrategy(null, partition));
        set.setStatus(new StatefulSetStatusBuilder().withCurrentRevision(OLD).withUpdateRevision(NEW).build());
        return set;
    }

    /** The rack and its 3 ready members, each on the given revision, at 127.0.2.1-3. */
    private ObservedCluster observed(StatefulSet rack, Map<Integer, String> revisions) {
        Map<String, Pod> pods = new HashMap<>();
        Map<String, Service> services = new HashMap<>();
        revisions.forEach((ordinal, revision) -> {
            String name = "c-dc1-rack1-" + ordinal;
            pods.put(name, new PodBuilder().withNewMetadata().withName(name).addToLabels(Contract.Labels.REVISION, revision).endMetadata()
                    .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build());
            services.put(name, new ServiceBuilder().withNewMetadata().withName(name).endMetadata()
                    .withNewSpec().withClusterIP("127.0.2." + (ordinal + 1)).endSpec().build());
        });
        return new ObservedCluster(Map.of(rack.getMetadata().getName(), rack), services, pods, Map.of(), Map.of(), Map.of(), Map.of());
    }

    private static Map<String, NodeStatus> everyoneSeesEveryone() {
        Map<String, NodeStatus> views = new LinkedHashMap<>();
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            views.put("c-dc1-rack1-" + ordinal, view(List.of("127.0.2.1", "127.0.2.2", "127.0.2.3"), List.of()));
        }
        return views;
    }

    private static NodeStatus view(List<String> live, List<String> unreachable) {
        return new NodeStatus("NORMAL", "host", null, live, unreachable, List.of(), List.of(), "1 KiB");
    }
}
