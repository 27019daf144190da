package io.cassandraoperator.local.cli;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.ClusterStatus;
import io.cassandraoperator.api.Contract;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterProgressTest {
    @Test
    void readyNeedsTheReadyConditionForThisGenerationAndEveryMemberPodReady() throws IOException {
        Cluster cluster = example();
        cluster.getMetadata().setGeneration(2L);
        cluster.setStatus(status(2L, "True", 3));
        List<Pod> ready = List.of(pod("cassandra-dc1-rack1-0", true), pod("cassandra-dc1-rack1-1", true),
                pod("cassandra-dc1-rack1-2", true));

        assertThat(ClusterProgress.ready(cluster, ready)).isTrue();
        assertThat(ClusterProgress.ready(cluster, List.of(ready.get(0), ready.get(1), pod("cassandra-dc1-rack1-2", false))))
                .as("a status restored after down, pods not ready yet").isFalse();
        cluster.setStatus(status(1L, "True", 3));
        assertThat(ClusterProgress.ready(cluster, ready)).as("status of an older generation").isFalse();
        cluster.setStatus(status(2L, "False", 2));
        assertThat(ClusterProgress.ready(cluster, ready)).isFalse();
    }

    @Test
    void linesShowConditionsAndEachMemberPod() throws IOException {
        Cluster cluster = example();
        cluster.setStatus(status(1L, "False", 1));
        Pod waiting = new PodBuilder(pod("cassandra-dc1-rack1-1", false)).editStatus().editFirstContainerStatus()
                .withNewState().withNewWaiting().withReason("ErrImagePull").withMessage("no such image").endWaiting()
                .endState().endContainerStatus().endStatus().build();

        assertThat(ClusterProgress.lines(cluster, List.of(pod("cassandra-dc1-rack1-0", true), waiting))).containsExactly(
                "cassandra: 1/3 members ready; Ready=False: 1 of 3 members ready",
                "  cassandra-dc1-rack1-0 on node-1: Running 127.0.1.2, ready",
                "  cassandra-dc1-rack1-1 on node-1: Running 127.0.1.2, ErrImagePull (no such image), not ready");
    }

    @Test
    void contactPointsAreMemberServiceClusterIPs() throws IOException {
        Cluster cluster = example();
        Service member = service("cassandra-dc1-rack1-0", "127.0.2.2", true);
        Service headless = service("cassandra-client", "None", false);
        Service noSelector = service("other", "127.0.2.9", false);

        assertThat(ClusterProgress.contactPoints(cluster, List.of(headless, member, noSelector)))
                .containsExactly("127.0.2.2:9042");
    }

    private static Cluster example() throws IOException {
        try (InputStream in = Files.newInputStream(CliProcess.PROJECT.resolve("examples/cluster.yaml"))) {
            return Serialization.unmarshal(in, Cluster.class);
        }
    }

    private static ClusterStatus status(long generation, String ready, int readyMembers) {
        ClusterStatus status = new ClusterStatus();
        status.setObservedGeneration(generation);
        status.setMembers(3);
        status.setReadyMembers(readyMembers);
        status.setConditions(List.of(new ConditionBuilder().withType("Ready").withStatus(ready)
                .withMessage(readyMembers + " of 3 members ready").build()));
        return status;
    }

    private static Pod pod(String name, boolean ready) {
        return new PodBuilder().withNewMetadata().withName(name).addToLabels(Contract.Labels.CLUSTER, "cassandra")
                .endMetadata().withNewSpec().withNodeName("node-1").endSpec()
                .withNewStatus().withPhase("Running").withPodIP("127.0.1.2")
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .addNewContainerStatus().withName("cassandra").withReady(ready).withRestartCount(0).withNewState()
                .withNewRunning().endRunning().endState().endContainerStatus()
                .endStatus().build();
    }

    private static Service service(String name, String clusterIP, boolean member) {
        return new ServiceBuilder().withNewMetadata().withName(name).addToLabels(Contract.Labels.CLUSTER, "cassandra")
                .endMetadata().withNewSpec().withClusterIP(clusterIP)
                .withSelector(member ? Map.of(Contract.Labels.POD_NAME, name) : null).endSpec().build();
    }
}
