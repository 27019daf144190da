package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.ClusterMode;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.api.RackSpec;
import io.cassandraoperator.operator.TestClusters;
import io.cassandraoperator.operator.model.RackStatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ChangeRefusalTest {
    private static List<StatefulSet> existing(Cluster cluster) {
        return cluster.getSpec().getDatacenter().getRacks().stream()
                .map(r -> RackStatefulSet.build(cluster, r, r.getMembers())).toList();
    }

    private static Optional<String> reason(Cluster cluster, List<StatefulSet> existing) {
        return ChangeRefusal.check(cluster, existing, Map.of()).map(r -> r.reason().name());
    }

    @Test
    void acceptsTheUsualChanges() {
        Cluster cluster = TestClusters.cluster("c", "ns", 3);
        List<StatefulSet> before = existing(cluster);
        cluster.getSpec().getDatacenter().getRacks().get(0).setMembers(5);
        assertThat(reason(cluster, before)).isEmpty();
        cluster.getSpec().setVersion("5.1.0");
        assertThat(reason(cluster, before)).isEmpty();
        assertThat(reason(TestClusters.cluster("new", "ns", 1), List.of())).as("a one-member development cluster").isEmpty();
    }

    @Test
    void allowsGrowingAClusterThatIsStillBelowTheReplicationFactor() {
        Cluster small = TestClusters.cluster("c", "ns", 1);
        List<StatefulSet> before = existing(small);
        small.getSpec().getDatacenter().getRacks().get(0).setMembers(2);
        assertThat(reason(small, before)).isEmpty();
    }

    @Test
    void refusesAScaleDownBelowTheReplicationFactor() {
        Cluster cluster = TestClusters.cluster("c", "ns", 4);
        List<StatefulSet> before = existing(cluster);
        cluster.getSpec().getDatacenter().getRacks().get(0).setMembers(3);
        assertThat(reason(cluster, before)).isEmpty();
        cluster.getSpec().getDatacenter().getRacks().get(0).setMembers(2);
        Optional<Refusal> refusal = ChangeRefusal.check(cluster, before, Map.of());
        assertThat(refusal).get().extracting(Refusal::reason).isEqualTo(EventReason.ScaleDownBelowReplicationFactor);
        assertThat(refusal.get().message()).contains("replication factor 3").contains("4 members");
        cluster.getSpec().getDatacenter().setReplicationFactor(2);
        assertThat(reason(cluster, before)).isEmpty();
    }

    @Test
    void refusesRemovingARackThatStillHasMembers() {
        Cluster cluster = TestClusters.cluster("c", "ns", 3, 3);
        List<StatefulSet> before = existing(cluster);
        cluster.getSpec().getDatacenter().getRacks().remove(1);
        cluster.getSpec().getDatacenter().getRacks().get(0).setMembers(6);
        assertThat(reason(cluster, before)).contains("RackRemovalRefused");
        Cluster emptied = TestClusters.cluster("c", "ns", 3, 0);
        List<StatefulSet> empty = existing(emptied);
        emptied.getSpec().getDatacenter().getRacks().remove(1);
        assertThat(reason(emptied, empty)).isEmpty();
    }

    @Test
    void refusesRenamingTheDatacenter() {
        Cluster cluster = TestClusters.cluster("c", "ns", 3);
        List<StatefulSet> before = existing(cluster);
        cluster.getSpec().getDatacenter().setName("dc2");
        assertThat(ChangeRefusal.check(cluster, before, Map.of())).get().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(EventReason.DatacenterRenameRefused);
            assertThat(r.message()).contains("'dc1'").contains("'dc2'");
        });
    }

    @Test
    void refusesDowngradingTheVersionComparingNumerically() {
        Cluster cluster = TestClusters.cluster("c", "ns", 3);
        cluster.getSpec().setVersion("5.0.10");
        List<StatefulSet> before = existing(cluster);
        cluster.getSpec().setVersion("5.0.9");
        assertThat(reason(cluster, before)).contains("VersionDowngradeRefused");
        cluster.getSpec().setVersion("5.0.10");
        assertThat(reason(cluster, before)).isEmpty();
    }

    @Test
    void refusesScyllaAndRacksWithoutExactlyOneClaimTemplate() {
        Cluster scylla = TestClusters.cluster("c", "ns", 3);
        scylla.getSpec().setMode(ClusterMode.SCYLLA);
        assertThat(reason(scylla, List.of())).contains("UnsupportedMode");
        Cluster noStorage = TestClusters.cluster("c", "ns", 3);
        RackSpec rack = noStorage.getSpec().getDatacenter().getRacks().get(0);
        rack.setStorage(null);
        assertThat(reason(noStorage, List.of())).contains("InvalidSpec");
        Cluster noMembers = TestClusters.cluster("c", "ns", 3);
        noMembers.getSpec().getDatacenter().getRacks().get(0).setMembers(null);
        assertThat(reason(noMembers, List.of())).contains("InvalidSpec");
    }
}
