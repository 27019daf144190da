package io.cassandraoperator.local.e2e;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.local.cli.CliProcess;
import io.cassandraoperator.local.cli.SuperuserLogin;
import io.cassandraoperator.local.kubelet.RecordedProcess;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 17 end to end, real Cassandra (RF=3, 10,000 rows at QUORUM) under the real operator on the local runtime: the
 * mistakes users and their tools make (a forged label, a version that does not exist, a leader killed; a Cluster
 * deleted and recreated is {@link ClusterRecreateSystemTest}) lose no row; then {@code kubectl exec} of
 * {@code nodetool status} shows the ring. The steps share one cluster and run in order; each leaves it Ready with 3
 * members.
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
        Cluster cluster = upExampleWithRows(ROWS);
        client = runtime.client();
        name = cluster.getMetadata().getName();
        prefix = name + "-dc1-" + cluster.getSpec().getDatacenter().getRacks().get(0).getName() + "-";
        contactPoints = runtime.contactPoints(cluster);
        superuser = runtime.superuser(name);
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

    /**
     * (d) Two operators, one decision: a second operator stands by while the runtime's own holds the Lease; 3→4, then
     * 4→3, and the leader is SIGKILLed while member 3's decommission runs in Cassandra (its Service carries the
     * decommission-started record, its agent reports RUNNING). Another operator takes the Lease and carries the
     * protocol on from the records: Cassandra ran the decommission once, the member's Service and claim go, the
     * Cluster is Ready with 3, every row reads back at ALL.
     */
    @Test
    @Order(3)
    void twoOperatorsWithTheLeaderKilledMidDecommissionDecommissionOnceAndLoseNothing() throws Exception {
        String since = Instant.now().toString();
        String leaving = prefix + "3";
        ProcessHandle second = runtime.startSecondOperator();
        try {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> logOf(2).contains("OperatorMain - Operator started"));
            ProcessHandle leader = await().atMost(Duration.ofMinutes(1))
                    .until(runtime::leaderOperator, Optional::isPresent).orElseThrow();
            assertThat(leader.pid()).as("the runtime's operator leads, the second stands by").isNotEqualTo(second.pid());
            CliProcess.Result status = runtime.cli(Duration.ofMinutes(1), "status");
            assertThat(status.output().lines()).as(status.output())
                    .anySatisfy(l -> assertThat(l).contains("(pid " + leader.pid() + ", ", "leader, holds Lease default/cassandra-operator"))
                    .anySatisfy(l -> assertThat(l).contains("operator 2 (pid " + second.pid() + ", ", "standby"));

            editCluster(c -> c.getSpec().getDatacenter().getRacks().get(0).setMembers(4));
            awaitReady(4);
            MemberAgents agents = agents(name, Duration.ofSeconds(10));
            editCluster(c -> c.getSpec().getDatacenter().getRacks().get(0).setMembers(3));
            await().atMost(SETTLE).pollInterval(Duration.ofMillis(200)).until(() ->
                    decommissionStarted(leaving) && "RUNNING".equals(decommissionState(agents, leaving)));
            assertThat(logOf(2)).as("the standby has not reconciled").doesNotContain("Holding the Lease");

            ProcessHandle killed = runtime.leaderOperator().orElseThrow();
            String killedIdentity = runtime.leaseHolder();
            killed.destroyForcibly();
            killed.onExit().get(1, TimeUnit.MINUTES);
            long killedAt = System.nanoTime();
            ProcessHandle successor = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(runtime::leaderOperator, p -> p.isPresent() && p.get().pid() != killed.pid()).orElseThrow();
            String successorIdentity = runtime.leaseHolder();
            System.out.printf("KILLED the leader %s (pid %d, SIGKILL) while the decommission of %s ran (agent: %s);"
                            + " %s (pid %d, %s) holds the Lease %.1f s later%n", killedIdentity, killed.pid(), leaving,
                    decommissionState(agents, leaving), successorIdentity, successor.pid(),
                    successor.pid() == second.pid() ? "the standby" : "the killed one's restart in its slot",
                    (System.nanoTime() - killedAt) / 1e9);
            assertThat(successorIdentity).isNotEqualTo(killedIdentity);

            awaitReady(3);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                assertThat(client.services().inNamespace(NAMESPACE).withName(leaving).get()).as("Service of " + leaving).isNull();
                assertThat(client.persistentVolumeClaims().inNamespace(NAMESPACE).withName("data-" + leaving).get())
                        .as("claim of " + leaving).isNull();
            });
            assertThat(client.apps().statefulSets().inNamespace(NAMESPACE).withName(prefix.substring(0, prefix.length() - 1))
                    .get().getSpec().getReplicas()).isEqualTo(3);
            assertThat(decommissionRuns(leaving)).as("decommissions Cassandra ran on " + leaving + " (its agent's log)").isEqualTo(1);
            for (EventReason reason : List.of(EventReason.DecommissionStarted, EventReason.DecommissionFinished, EventReason.MemberRemoved)) {
                assertThat(events(reason)).as(reason + " about " + leaving + ", once")
                        .filteredOn(e -> e.getFirstTimestamp().compareTo(since) > 0 && (e.getMessage() + " ").contains(leaving + " "))
                        .hasSize(1);
            }
            assertEveryRowAtAll();
        } finally {
            second.destroy();
            try {
                second.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                RecordedProcess.killTree(second);
            }
        }
    }

    private String logOf(int operatorSlot) throws IOException {
        Path log = runtime.operatorLog(operatorSlot);
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private boolean decommissionStarted(String member) {
        var service = client.services().inNamespace(NAMESPACE).withName(member).get();
        return service != null && service.getMetadata().getAnnotations() != null
                && service.getMetadata().getAnnotations().containsKey(Contract.Annotations.DECOMMISSION_STARTED);
    }

    private String decommissionState(MemberAgents agents, String member) {
        try {
            var pod = client.pods().inNamespace(NAMESPACE).withName(member).get();
            return pod == null ? "no pod" : agents.get(pod.getStatus().getPodIP(), Contract.AgentApi.DECOMMISSION).path("state").asText();
        } catch (AssertionError | IOException | RuntimeException e) {
            return "unreachable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * (d) What users reach for first to look at their ring: {@code kubectl exec} of the image's {@code nodetool}, which
     * talks to the member's own pod-local JMX, shows every member Up and Normal under its Service's ClusterIP.
     */
    @Test
    @Order(4)
    void kubectlExecOfNodetoolStatusOnAMemberShowsEveryMemberUpAndNormal() throws Exception {
        String status = runtime.kubectl("exec", prefix + "0", "--", "nodetool", "status");

        Set<String> clusterIps = IntStream.range(0, 3).mapToObj(i -> client.services().inNamespace(NAMESPACE)
                .withName(prefix + i).get().getSpec().getClusterIP()).collect(Collectors.toSet());
        Map<String, String> stateByAddress = status.lines().filter(l -> l.matches("^[UD][NLJM]\\s+\\S+.*"))
                .collect(Collectors.toMap(l -> l.split("\\s+")[1], l -> l.substring(0, 2)));
        assertThat(status).as(status).contains("Datacenter: dc1");
        assertThat(stateByAddress).as(status).containsOnlyKeys(clusterIps).allSatisfy((ip, state) ->
                assertThat(state).isEqualTo("UN"));
        System.out.printf("MEASURED kubectl exec %s0 -- nodetool status:%n%s", prefix, status);
    }

    /** How many decommissions the member's agent started, from its container log (kept after the pod is gone). */
    private long decommissionRuns(String member) throws IOException {
        try (Stream<String> lines = Files.lines(runtime.cassandraLog(member))) {
            return lines.filter(l -> l.contains("[agent]") && l.contains("BackgroundOperation - Started decommission")).count();
        }
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
