package io.cassandraoperator.local.e2e;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.local.cli.CliProcess;
import io.cassandraoperator.local.cli.SuperuserLogin;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 17 end to end, real Cassandra (RF=3, 10,000 rows at QUORUM) under the real operator on the local runtime: the
 * mistakes users and their tools make (a forged label, a Cluster deleted, a version that does not exist, a leader
 * killed) lose no row. The steps share one cluster and run in order; each leaves it Ready with 3 members.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DataSafetyEndToEndTest extends EndToEndTest {
    static final int ROWS = 10_000;
    static final Duration SETTLE = Duration.ofMinutes(10);

    private KubernetesClient client;
    private String name;
    private String prefix;
    private SuperuserLogin superuser;
    private List<InetSocketAddress> contactPoints;

    DataSafetyEndToEndTest() throws IOException {
        super(LocalRuntimeFixture.of("data-safety"));
    }

    @BeforeAll
    void upWithThreeMembersAndTenThousandRows() throws Exception {
        CliProcess.Result up = runtime.up(CliProcess.PROJECT.resolve("examples/cluster.yaml"));
        assertThat(up.exitCode()).as(up.output()).isZero();
        client = runtime.client();
        Cluster cluster = onlyCluster();
        name = cluster.getMetadata().getName();
        prefix = name + "-dc1-" + cluster.getSpec().getDatacenter().getRacks().get(0).getName() + "-";
        contactPoints = runtime.contactPoints(cluster);
        superuser = runtime.superuser(name);
        try (CqlSession session = session()) {
            RowsTable.create(session);
            RowsTable.write(session, ROWS);
        }
    }

    /**
     * (a) A hand-set {@code decommissioned=true} label on a member's Service (copied, forged, restored from a backup of
     * the objects) deletes nothing: the operator asks that member's agent, which never decommissioned, and says why in
     * {@code Degraded}. Removing the label brings the Cluster back to Ready with every row.
     */
    @Test
    @Order(1)
    void aHandSetDecommissionedLabelDeletesNothingAndTheConditionSaysWhy() throws Exception {
        String member = prefix + "2";
        Map<String, String> before = uids(member);
        client.services().inNamespace(NAMESPACE).withName(member)
                .edit(s -> new ServiceBuilder(s).editMetadata().addToLabels(Contract.Labels.DECOMMISSIONED, "true").endMetadata().build());

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> condition("Degraded")
                .map(c -> "True".equals(c.getStatus()) && EventReason.DecommissionUnconfirmed.name().equals(c.getReason())
                        && c.getMessage().contains(member))
                .orElse(false));
        // Rounds keep running while the label stays; none of them may remove anything.
        Thread.sleep(Duration.ofSeconds(20).toMillis());
        assertThat(uids(member)).as("the member's pod, Service and claim are the same objects").isEqualTo(before);
        assertThat(client.apps().statefulSets().inNamespace(NAMESPACE).withName(prefix.substring(0, prefix.length() - 1)).get()
                .getSpec().getReplicas()).isEqualTo(3);
        assertThat(events(EventReason.DecommissionUnconfirmed)).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains(member));

        client.services().inNamespace(NAMESPACE).withName(member)
                .edit(s -> new ServiceBuilder(s).editMetadata().removeFromLabels(Contract.Labels.DECOMMISSIONED).endMetadata().build());
        awaitReady(3);
        assertThat(uids(member)).isEqualTo(before);
        assertEveryRowAtAll();
    }

    /**
     * (c) A version that does not exist: the member rolled first (the highest ordinal) stays in {@code ErrImagePull}
     * and {@code Progressing} says so; the rollout goes no further. Setting the version back to the one the pods run
     * goes through (the schema allows it because {@code status.dataVersion} says the data never saw 5.0.99), the
     * operator writes the corrected template although that member is not ready, and deletes the pod the StatefulSet
     * controller would leave stuck on the bad revision (its claim stays). The Cluster is Ready with every row.
     */
    @Test
    @Order(2)
    void aVersionThatDoesNotExistCanBeSetBackAndNoRowIsLost() throws Exception {
        String running = cluster(name).getSpec().getVersion();
        String rolledFirst = prefix + "2";
        Map<String, String> before = uids(rolledFirst);
        Map<String, String> untouched = Map.of(prefix + "0", uids(prefix + "0").get("Pod"), prefix + "1", uids(prefix + "1").get("Pod"));
        editCluster(c -> c.getSpec().setVersion("5.0.99"));

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> condition("Progressing")
                .map(c -> c.getMessage().contains(rolledFirst) && c.getMessage().contains("ErrImagePull")).orElse(false));
        assertThat(condition("Ready")).get().extracting(Condition::getStatus).isEqualTo("False");
        assertThat(cluster(name).getStatus().getDataVersion()).as("no member ever ran 5.0.99").isEqualTo(running);
        // The rollout stops at the broken member: the others keep their pods.
        Thread.sleep(Duration.ofSeconds(10).toMillis());
        untouched.forEach((member, uid) -> assertThat(uids(member).get("Pod")).as(member).isEqualTo(uid));

        editCluster(c -> c.getSpec().setVersion(running));
        awaitReady(3);
        assertThat(events(EventReason.TemplateCorrected)).isNotEmpty();
        assertThat(events(EventReason.StuckPodDeleted)).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains(rolledFirst));
        assertThat(uids(rolledFirst).get("PersistentVolumeClaim")).as("the member's claim is kept").isEqualTo(before.get("PersistentVolumeClaim"));
        assertThat(uids(rolledFirst).get("Service")).isEqualTo(before.get("Service"));
        untouched.forEach((member, uid) -> assertThat(uids(member).get("Pod")).as(member).isEqualTo(uid));
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            assertThat(client.pods().inNamespace(NAMESPACE).withName(prefix + ordinal).get().getSpec().getContainers().get(0).getImage())
                    .endsWith(":" + running);
        }
        assertEveryRowAtAll();
    }

    CqlSession session() {
        return runtime.session(superuser, contactPoints);
    }

    void assertEveryRowAtAll() {
        try (CqlSession session = session()) {
            assertThat(RowsTable.readIds(session, ConsistencyLevel.ALL)).hasSize(ROWS);
        }
    }

    /** The Cluster is Ready with that many ready members. */
    void awaitReady(int members) {
        await().atMost(SETTLE).pollInterval(Duration.ofSeconds(2)).until(() -> {
            Cluster current = cluster(name);
            return current != null && current.getStatus() != null
                    && Integer.valueOf(members).equals(current.getStatus().getReadyMembers())
                    && condition("Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
        });
    }

    Optional<Condition> condition(String type) {
        Cluster current = cluster(name);
        if (current == null || current.getStatus() == null || current.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return current.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    List<Event> events(EventReason reason) {
        return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()) && reason.name().equals(e.getReason()))
                .toList();
    }

    void editCluster(Consumer<Cluster> change) {
        client.resources(Cluster.class).inNamespace(NAMESPACE).withName(name).edit(c -> {
            change.accept(c);
            return c;
        });
    }

    /** The UIDs of a member's pod, Service and data claim, by kind. */
    Map<String, String> uids(String member) {
        List<HasMetadata> objects = List.of(
                client.pods().inNamespace(NAMESPACE).withName(member).get(),
                client.services().inNamespace(NAMESPACE).withName(member).get(),
                client.persistentVolumeClaims().inNamespace(NAMESPACE).withName("data-" + member).get());
        return objects.stream().collect(Collectors.toMap(HasMetadata::getKind, o -> o.getMetadata().getUid()));
    }

    String name() {
        return name;
    }

    String prefix() {
        return prefix;
    }
}
