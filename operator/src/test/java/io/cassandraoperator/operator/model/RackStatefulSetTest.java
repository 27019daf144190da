package io.cassandraoperator.operator.model;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract.Env;
import io.cassandraoperator.api.Contract.Labels;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.Placement;
import io.cassandraoperator.api.RackSpec;
import io.cassandraoperator.api.VolumeClaimRetentionPolicy;
import io.cassandraoperator.operator.TestClusters;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodAntiAffinityBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class RackStatefulSetTest {
    private final Cluster cluster = TestClusters.cluster("cass", "ns", 3);
    private final RackSpec rack = cluster.getSpec().getDatacenter().getRacks().get(0);

    @Test
    void namedAfterClusterDatacenterAndRackWithOrderedReadyPods() {
        StatefulSet set = RackStatefulSet.build(cluster, rack, 2);
        assertThat(set.getMetadata().getName()).isEqualTo("cass-dc1-rack1");
        assertThat(set.getMetadata().getNamespace()).isEqualTo("ns");
        assertThat(set.getSpec().getReplicas()).isEqualTo(2);
        assertThat(set.getSpec().getPodManagementPolicy()).isEqualTo("OrderedReady");
        assertThat(set.getSpec().getServiceName()).isEqualTo("cass-client");
        assertThat(set.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
    }

    @Test
    void labelsSelectorOwnerAndRecordedVersion() {
        StatefulSet set = RackStatefulSet.build(cluster, rack, 0);
        Map<String, String> rackLabels = Map.of(Labels.CLUSTER, "cass", Labels.DATACENTER, "dc1", Labels.RACK, "rack1");
        assertThat(set.getMetadata().getLabels()).containsAllEntriesOf(rackLabels)
                .contains(entry(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE), entry(Labels.APP_NAME, "cassandra"));
        assertThat(set.getSpec().getSelector().getMatchLabels()).isEqualTo(rackLabels);
        assertThat(set.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(rackLabels);
        assertThat(set.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
            assertThat(owner.getKind()).isEqualTo("Cluster");
            assertThat(owner.getApiVersion()).isEqualTo("cassandra.rook.io/v1alpha1");
            assertThat(owner.getName()).isEqualTo("cass");
            assertThat(owner.getUid()).isEqualTo("uid-cass");
            assertThat(owner.getController()).isTrue();
        });
        assertThat(set.getMetadata().getAnnotations()).containsEntry(Contract.Annotations.VERSION, "5.0.6");
    }

    @Test
    void claimTemplateFromTheRackStorageAndTheStatefulSetNeverOwnsAClaim() {
        StatefulSet set = RackStatefulSet.build(cluster, rack, 1);
        assertThat(set.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(claim -> {
            assertThat(claim.getMetadata().getName()).isEqualTo("data");
            assertThat(claim.getMetadata().getLabels()).containsEntry(Labels.CLUSTER, "cass").containsEntry(Labels.RACK, "rack1");
            assertThat(claim.getSpec().getStorageClassName()).isEqualTo("local-storage");
            assertThat(claim.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("5Gi");
        });
        assertThat(set.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Retain");
        assertThat(set.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled()).isEqualTo("Retain");

        VolumeClaimRetentionPolicy delete = new VolumeClaimRetentionPolicy();
        delete.setWhenDeleted(VolumeClaimRetentionPolicy.Policy.DELETE);
        cluster.getSpec().setPersistentVolumeClaimRetentionPolicy(delete);
        // whenDeleted: Delete is the operator's job once the pods are gone, never the StatefulSet's.
        assertThat(RackStatefulSet.build(cluster, rack, 1).getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Retain");
        assertThat(RackStatefulSet.deletesDataWithCluster(cluster.getSpec())).isTrue();
    }

    @Test
    void oneCassandraContainerRunningTheAgentImageWithPortsProbesAndResources() {
        Container container = podSpec().getContainers().get(0);
        assertThat(podSpec().getContainers()).hasSize(1);
        assertThat(container.getName()).isEqualTo("cassandra");
        assertThat(container.getImage()).isEqualTo("cassandra-operator/cassandra:5.0.6");
        assertThat(container.getCommand()).isEmpty();
        assertThat(container.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
                .containsExactly("cql:9042", "intra-node:7000", "agent:8080", "metrics:9500");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("agent");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(container.getResources().getLimits().get("memory").toString()).isEqualTo("2Gi");

        cluster.getSpec().setRepository("registry.example/cassandra");
        assertThat(RackStatefulSet.build(cluster, rack, 1).getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.example/cassandra:5.0.6");
    }

    @Test
    void environmentOfTheAgent() {
        Map<String, EnvVar> env = podSpec().getContainers().get(0).getEnv().stream().collect(Collectors.toMap(EnvVar::getName, Function.identity()));
        assertThat(env.get(Env.POD_NAME).getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        assertThat(env.get(Env.POD_NAMESPACE).getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
        assertThat(env.get(Env.POD_IP).getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
        assertThat(env.get(Env.CLUSTER_NAME).getValue()).isEqualTo("cass");
        assertThat(env.get(Env.DATACENTER).getValue()).isEqualTo("dc1");
        assertThat(env.get(Env.RACK).getValue()).isEqualTo("rack1");
        assertThat(env.get(Env.MEMBERS_DIR).getValue()).isEqualTo("/etc/cassandra-operator/members");
        assertThat(env.get(Env.USER_CONFIG_DIR).getValue()).isEqualTo("/etc/cassandra-operator/user");
        assertThat(env.get(Env.DATA_DIR).getValue()).isEqualTo("/var/lib/cassandra");
        assertThat(env.get(Env.MAX_HEAP).getValue()).isEqualTo("512M");
        assertThat(env.get(Env.AGENT_TOKEN).getValueFrom().getSecretKeyRef().getName()).isEqualTo("cass-agent");
        assertThat(env.get(Env.AGENT_TOKEN).getValueFrom().getSecretKeyRef().getKey()).isEqualTo(Contract.AgentSecret.TOKEN);
        assertThat(env.get(Env.SUPERUSER_USERNAME).getValueFrom().getSecretKeyRef().getName()).isEqualTo("cass-superuser");
        assertThat(env.get(Env.SUPERUSER_USERNAME).getValueFrom().getSecretKeyRef().getKey()).isEqualTo("username");
        assertThat(env.get(Env.SUPERUSER_PASSWORD).getValueFrom().getSecretKeyRef().getName()).isEqualTo("cass-superuser");
        assertThat(env.get(Env.SUPERUSER_PASSWORD).getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
        assertThat(env.get(Env.TLS_DIR).getValue()).isEqualTo("/etc/cassandra-operator/tls");
        assertThat(env.get(Env.CLIENT_TLS).getValue()).isEqualTo("required");
        assertThat(env).hasSize(15);
    }

    @Test
    void volumesForDataMembersAndUserConfig() {
        PodSpec pod = podSpec();
        assertThat(pod.getContainers().get(0).getVolumeMounts()).extracting(VolumeMount::getName, VolumeMount::getMountPath)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("data", "/var/lib/cassandra"),
                        org.assertj.core.groups.Tuple.tuple("members", "/etc/cassandra-operator/members"),
                        org.assertj.core.groups.Tuple.tuple("user-config", "/etc/cassandra-operator/user"),
                        org.assertj.core.groups.Tuple.tuple("tmp", "/tmp"),
                        org.assertj.core.groups.Tuple.tuple("tls", "/etc/cassandra-operator/tls"));
        assertThat(pod.getVolumes()).hasSize(4);
        assertThat(pod.getVolumes().get(3).getSecret().getSecretName()).isEqualTo("cass-member-tls");
        assertThat(pod.getVolumes().get(0).getConfigMap().getName()).isEqualTo("cass-members");
        assertThat(pod.getVolumes().get(1).getEmptyDir()).isNotNull();
        assertThat(pod.getVolumes().get(2).getEmptyDir()).isNotNull();

        rack.setConfigMapName("my-tuning");
        assertThat(RackStatefulSet.build(cluster, rack, 1).getSpec().getTemplate().getSpec().getVolumes().get(1).getConfigMap().getName())
                .isEqualTo("my-tuning");
    }

    @Test
    void exporterConfigOfTheRackMountedForTheAgent() {
        rack.setJmxExporterConfigMapName("my-exporter");
        PodSpec pod = RackStatefulSet.build(cluster, rack, 1).getSpec().getTemplate().getSpec();

        assertThat(pod.getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("metrics-config");
            assertThat(v.getConfigMap().getName()).isEqualTo("my-exporter");
        });
        assertThat(pod.getContainers().get(0).getVolumeMounts()).extracting(VolumeMount::getName, VolumeMount::getMountPath)
                .contains(org.assertj.core.groups.Tuple.tuple("metrics-config", Contract.Paths.METRICS_CONFIG));
        assertThat(pod.getContainers().get(0).getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
                .contains(org.assertj.core.groups.Tuple.tuple(Env.METRICS_CONFIG_DIR, Contract.Paths.METRICS_CONFIG));
    }

    @Test
    void membersRunAsNonRootWithoutApiCredentials() {
        PodSpec pod = podSpec();

        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(999L);
        assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(999L);
        assertThat(pod.getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(pod.getContainers().get(0).getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(pod.getContainers().get(0).getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    }

    @Test
    void placementAndAnnotationsOfTheRack() {
        Placement placement = new Placement();
        placement.setTolerations(List.of(new TolerationBuilder().withKey("dedicated").withOperator("Exists").build()));
        placement.setPodAntiAffinity(new PodAntiAffinityBuilder().addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withTopologyKey("kubernetes.io/hostname").endRequiredDuringSchedulingIgnoredDuringExecution().build());
        placement.setTopologySpreadConstraints(List.of(new TopologySpreadConstraintBuilder().withMaxSkew(1)
                .withTopologyKey("zone").withWhenUnsatisfiable("DoNotSchedule").build()));
        rack.setPlacement(placement);
        rack.setAnnotations(Map.of("rack-note", "r"));
        cluster.getSpec().setAnnotations(Map.of("cluster-note", "c"));

        StatefulSet set = RackStatefulSet.build(cluster, rack, 1);
        PodSpec pod = set.getSpec().getTemplate().getSpec();
        assertThat(pod.getTolerations()).singleElement().extracting("key").isEqualTo("dedicated");
        assertThat(pod.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()).hasSize(1);
        assertThat(pod.getAffinity().getNodeAffinity()).isNull();
        assertThat(pod.getTopologySpreadConstraints()).singleElement().extracting("topologyKey").isEqualTo("zone");
        assertThat(set.getSpec().getTemplate().getMetadata().getAnnotations()).containsOnly(entry("rack-note", "r"), entry("cluster-note", "c"));
    }

    private PodSpec podSpec() {
        return RackStatefulSet.build(cluster, rack, 1).getSpec().getTemplate().getSpec();
    }
}
