package io.cassandraoperator.local.e2e;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.local.cli.CliProcess;
import io.cassandraoperator.local.cli.SuperuserLogin;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 17, real Cassandra: a Cluster deleted by mistake and recreated from its file loses nothing. A system test
 * (its own cluster of 3; {@code ./mvnw verify -Psystem-tests}), moved out of {@link DataSafetyEndToEndTest} to keep
 * the suite under 40 minutes.
 */
class ClusterRecreateSystemTest extends EndToEndTest {
    private static final int ROWS = 10_000;

    private KubernetesClient client;
    private String name;
    private String prefix;

    ClusterRecreateSystemTest() throws IOException {
        super(LocalRuntimeFixture.of("recreate"));
    }

    @BeforeAll
    void upWithThreeMembersAndTenThousandRows() throws Exception {
        Cluster cluster = upExampleWithRows(ROWS);
        client = runtime.client();
        name = cluster.getMetadata().getName();
        prefix = name + "-dc1-" + cluster.getSpec().getDatacenter().getRacks().get(0).getName() + "-";
    }

    /**
     * (b) The Cluster deleted (claims retained, the default) keeps its member Services, Secrets and claims; recreated
     * from the same file it adopts them: the same ClusterIPs (the members' addresses in the ring), the superuser's
     * password read before the delete still logs in, and every row reads back at ALL.
     */
    @Test
    void theClusterDeletedAndRecreatedFromTheSameFileComesBackWithItsAddressesLoginAndRows() throws Exception {
        SuperuserLogin loginBefore = runtime.superuser(name);
        Map<String, String> addresses = memberAddresses();
        Map<String, String> kept = keptUids();
        assertThat(addresses).hasSize(3);

        client.resources(Cluster.class).inNamespace(NAMESPACE).withName(name).delete();
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).until(() -> cluster(name) == null
                && client.pods().inNamespace(NAMESPACE).withLabel(Contract.Labels.CLUSTER, name).list().getItems().isEmpty()
                && client.apps().statefulSets().inNamespace(NAMESPACE).withLabel(Contract.Labels.CLUSTER, name).list().getItems().isEmpty());
        assertThat(keptUids()).as("member Services, Secrets and claims are the same objects after the delete").isEqualTo(kept);
        assertThat(memberAddresses()).isEqualTo(addresses);

        CliProcess.Result up = runtime.up(CliProcess.PROJECT.resolve("examples/cluster.yaml"));
        assertThat(up.exitCode()).as(up.output()).isZero();
        client = runtime.client();
        awaitReady(3);
        assertThat(memberAddresses()).as("the same ClusterIPs").isEqualTo(addresses);
        assertThat(keptUids()).as("adopted, not recreated").isEqualTo(kept);
        try (CqlSession session = runtime.session(loginBefore, runtime.contactPoints(cluster(name)))) {
            assertThat(RowsTable.readIds(session, ConsistencyLevel.ALL)).as("the old password logs in; every row at ALL").hasSize(ROWS);
        }
    }

    /** Each member Service's ClusterIP, by member. */
    Map<String, String> memberAddresses() {
        return client.services().inNamespace(NAMESPACE).withLabel(Contract.Labels.CLUSTER, name).list().getItems().stream()
                .filter(s -> s.getMetadata().getName().startsWith(prefix))
                .collect(Collectors.toMap(s -> s.getMetadata().getName(), s -> s.getSpec().getClusterIP()));
    }

    /** The UIDs of what a deleted Cluster keeps: member Services, the two Secrets and the claims, by kind and name. */
    Map<String, String> keptUids() {
        List<HasMetadata> objects = new java.util.ArrayList<>();
        client.services().inNamespace(NAMESPACE).withLabel(Contract.Labels.CLUSTER, name).list().getItems().stream()
                .filter(s -> s.getMetadata().getName().startsWith(prefix)).forEach(objects::add);
        objects.add(client.secrets().inNamespace(NAMESPACE).withName(name + Contract.SuperuserSecret.SUFFIX).get());
        objects.add(client.secrets().inNamespace(NAMESPACE).withName(name + Contract.AgentSecret.SUFFIX).get());
        objects.addAll(client.persistentVolumeClaims().inNamespace(NAMESPACE).withLabel(Contract.Labels.CLUSTER, name).list().getItems());
        assertThat(objects).doesNotContainNull();
        return objects.stream().collect(Collectors.toMap(o -> o.getKind() + "/" + o.getMetadata().getName(), o -> o.getMetadata().getUid()));
    }

    private void awaitReady(int members) {
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            Cluster current = cluster(name);
            return current != null && current.getStatus() != null
                    && Integer.valueOf(members).equals(current.getStatus().getReadyMembers());
        });
    }
}
