package io.cassandraoperator.operator.model;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract.Labels;
import io.cassandraoperator.operator.TestClusters;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The Services, the disruption budget, the members ConfigMap and the agent Secret. */
class SmallBuildersTest {
    private final Cluster cluster = TestClusters.cluster("cass", "ns", 3);

    @Test
    void clientServiceIsHeadlessOverAllMembers() {
        Service service = ClientService.build(cluster);
        assertThat(service.getMetadata().getName()).isEqualTo("cass-client");
        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(service.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(service.getSpec().getSelector()).containsEntry(Labels.CLUSTER, "cass");
        assertThat(service.getSpec().getPorts()).extracting(ServicePort::getPort).containsExactly(9042);
        assertThat(service.getMetadata().getOwnerReferences()).singleElement().extracting("name").isEqualTo("cass");
        assertThat(service.getMetadata().getLabels()).doesNotContainKey(Labels.RACK);
    }

    @Test
    void memberServiceSelectsItsPodByNameAndCarriesTheSeedLabel() {
        Service seed = MemberService.build(cluster, "rack1", "cass-dc1-rack1-0", true);
        assertThat(seed.getMetadata().getName()).isEqualTo("cass-dc1-rack1-0");
        assertThat(seed.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(seed.getSpec().getClusterIP()).isNull();
        assertThat(seed.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(seed.getSpec().getSelector()).containsEntry(Labels.POD_NAME, "cass-dc1-rack1-0");
        assertThat(seed.getSpec().getPorts()).extracting(ServicePort::getPort).containsExactly(9042, 7000);
        assertThat(seed.getMetadata().getLabels()).containsEntry(Labels.SEED, "true").containsEntry(Labels.RACK, "rack1")
                .containsEntry(Labels.DATACENTER, "dc1").containsEntry(Labels.CLUSTER, "cass");
        assertThat(MemberService.isMemberService(seed)).isTrue();
        assertThat(MemberService.isMemberService(ClientService.build(cluster))).isFalse();
        assertThat(MemberService.build(cluster, "rack1", "cass-dc1-rack1-3", false).getMetadata().getLabels()).doesNotContainKey(Labels.SEED);
    }

    @Test
    void disruptionBudgetAllowsOneMemberDown() {
        PodDisruptionBudget budget = ClusterDisruptionBudget.build(cluster);
        assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(budget.getSpec().getMinAvailable()).isNull();
        assertThat(budget.getSpec().getSelector().getMatchLabels()).containsEntry(Labels.CLUSTER, "cass");
        assertThat(budget.getMetadata().getOwnerReferences()).hasSize(1);
    }

    @Test
    void membersConfigMapListsSeedAddressesInOrderAndEveryMemberAddress() {
        ConfigMap config = MembersConfigMap.build(cluster,
                Map.of("cass-dc1-rack1-0", "10.0.0.10", "cass-dc1-rack1-1", "10.0.0.11", "cass-dc1-rack1-2", "10.0.0.12"),
                List.of("cass-dc1-rack1-1", "cass-dc1-rack1-0", "cass-dc1-rack1-9"), Set.of());
        assertThat(config.getMetadata().getName()).isEqualTo("cass-members");
        assertThat(config.getData()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "seeds", "10.0.0.11,10.0.0.10",
                "cass-dc1-rack1-0", "10.0.0.10", "cass-dc1-rack1-1", "10.0.0.11", "cass-dc1-rack1-2", "10.0.0.12"));
    }

    @Test
    void agentSecretHoldsARandomToken() {
        String token = AgentTokenSecret.newToken();
        assertThat(token).hasSizeGreaterThanOrEqualTo(40).isNotEqualTo(AgentTokenSecret.newToken());
        Secret secret = AgentTokenSecret.build(cluster, token);
        assertThat(secret.getMetadata().getName()).isEqualTo("cass-agent");
        assertThat(secret.getData()).containsOnlyKeys("token");
        assertThat(AgentTokenSecret.token(secret)).isEqualTo(token);
    }

    @Test
    void desiredHashChangesWithTheObjectOnly() {
        assertThat(DesiredHash.of(ClientService.build(cluster))).isEqualTo(DesiredHash.of(ClientService.build(cluster)));
        assertThat(DesiredHash.of(MemberService.build(cluster, "rack1", "cass-dc1-rack1-0", true)))
                .isNotEqualTo(DesiredHash.of(MemberService.build(cluster, "rack1", "cass-dc1-rack1-0", false)));
    }
}
