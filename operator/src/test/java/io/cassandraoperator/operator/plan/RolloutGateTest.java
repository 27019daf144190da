package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.operator.TestClusters;
import io.cassandraoperator.operator.model.RackStatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RolloutGateTest {
    private final Cluster cluster = TestClusters.cluster("c", "ns", 3);

    private StatefulSet set(long generation, Long observed, String current, String update, Integer updated) {
        StatefulSet set = RackStatefulSet.build(cluster, cluster.getSpec().getDatacenter().getRacks().get(0), 3);
        set.getMetadata().setGeneration(generation);
        set.setStatus(new StatefulSetStatusBuilder().withObservedGeneration(observed).withCurrentRevision(current)
                .withUpdateRevision(update).withUpdatedReplicas(updated).build());
        return set;
    }

    @Test
    void rolledOutWhenTheControllerSawTheSpecAndEveryPodIsOnTheNewRevision() {
        assertThat(RolloutGate.rolling(set(4, 4L, "r2", "r2", 3))).isFalse();
        StatefulSet fresh = set(1, null, null, null, null);
        fresh.setStatus(null);
        assertThat(RolloutGate.rolling(fresh)).as("just created").isFalse();
    }

    @Test
    void rollingWhileTheControllerLagsOrPodsAreOnTheOldRevision() {
        assertThat(RolloutGate.rolling(set(5, 4L, "r2", "r2", 3))).isTrue();
        assertThat(RolloutGate.rolling(set(5, 5L, "r2", "r3", 1))).isTrue();
        assertThat(RolloutGate.rolling(set(5, 5L, "r3", "r3", 2))).isTrue();
    }

    @Test
    void aTemplateWaitsForNotReadyMembersAndOtherRollouts() {
        StatefulSet done = set(4, 4L, "r2", "r2", 3);
        assertThat(RolloutGate.blocker(List.of(done), Optional.empty())).isEmpty();
        assertThat(RolloutGate.blocker(List.of(done), Optional.of("c-dc1-rack1-1"))).get().asString().contains("c-dc1-rack1-1");
        assertThat(RolloutGate.blocker(List.of(done, set(5, 4L, "r2", "r2", 3)), Optional.empty())).get().asString().contains("rolling out");
    }
}
