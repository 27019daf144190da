package io.cassandraoperator.local.e2e;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.local.cli.CliProcess;
import io.cassandraoperator.local.cli.SuperuserLogin;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 7 end to end, real Cassandra (RF=3) under the real operator and agent on the local runtime: 10,000 rows written
 * at QUORUM; the node holding a member is deleted, and once it has been absent for the Cluster's grace period (15 s
 * here; issue 17 rule 3) and not before, the operator replaces the member on another node under its ClusterIP. The
 * runtime's Node names differ from their hostname labels, so the healthy members show that volumes are matched by
 * label. Then another member's disk is wiped and its pod restarted (Cassandra refuses to start: its address is in
 * the ring), its agent exits with {@link Contract.AgentExit#VOLUME_LOST}, and the operator replaces it without anyone
 * labelling anything. After each,
 * the ring has 3 UN nodes at the same addresses and every row reads back at ALL.
 */
class ReplacementSystemTest extends EndToEndTest {
    private static final int ROWS = 10_000;
    private static final Duration REPLACE_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration GRACE_PERIOD = Duration.ofSeconds(15);

    ReplacementSystemTest() throws IOException {
        super(LocalRuntimeFixture.of("replacement"));
    }

    @Test
    void lostNodeAndWipedDiskAreReplacedKeepingAddressesAndEveryRow() throws Exception {
        Path manifest = Files.createTempFile("replacement-cluster-", ".yaml");
        String example = Files.readString(CliProcess.PROJECT.resolve("examples/cluster.yaml"));
        assertThat(example).contains("  mode: cassandra\n");
        Files.writeString(manifest, example.replace("  mode: cassandra\n", "  mode: cassandra\n  nodeLoss:\n    gracePeriod: 15s\n"));
        CliProcess.Result up;
        try {
            up = runtime.up(manifest);
        } finally {
            Files.delete(manifest);
        }
        assertThat(up.exitCode()).as(up.output()).isZero();

        KubernetesClient client = runtime.client();
        assertThat(client.nodes().list().getItems()).allSatisfy(n -> assertThat(n.getMetadata().getLabels().get("kubernetes.io/hostname"))
                .isNotEqualTo(n.getMetadata().getName()));
        Cluster cluster = onlyCluster();
        String name = cluster.getMetadata().getName();
        String prefix = name + "-dc1-" + cluster.getSpec().getDatacenter().getRacks().get(0).getName() + "-";
        MemberAgents agents = agents(name, Duration.ofSeconds(30));
        List<InetSocketAddress> contactPoints = runtime.contactPoints(cluster);
        Set<String> addresses = contactPoints.stream().map(a -> a.getAddress().getHostAddress()).collect(Collectors.toSet());
        SuperuserLogin superuser = runtime.superuser(name);
        try (CqlSession session = runtime.session(superuser, contactPoints)) {
            RowsTable.create(session);
            RowsTable.write(session, ROWS);
        }

        // A lost node: its pod and disk go; the operator sees the claim's volume pinned to a Node that is gone.
        String lostMember = prefix + "1";
        String lostNode = client.pods().inNamespace(NAMESPACE).withName(lostMember).get().getSpec().getNodeName();
        String lostAddress = client.services().inNamespace(NAMESPACE).withName(lostMember).get().getSpec().getClusterIP();
        long started = System.nanoTime();
        CliProcess.Result deleted = runtime.cli(Duration.ofMinutes(2), "delete-node", lostNode);
        assertThat(deleted.exitCode()).as(deleted.output()).isZero();
        try (CqlSession session = runtime.session(superuser, contactPoints)) {
            // system_auth has 3 replicas: with one member lost, logins (LOCAL_QUORUM) still work.
            assertThat(session.execute("SELECT role FROM system_auth.roles WHERE role = ?", superuser.username()).one()).isNotNull();
        }
        // The absence is recorded, and nothing is given up before the grace period has passed.
        Instant since = Instant.parse(await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> annotations(lostMember).get(Contract.Annotations.NODE_ABSENT_SINCE), Objects::nonNull));
        Instant replaceAt = since.plus(GRACE_PERIOD);
        while (Instant.now().isBefore(replaceAt.minusSeconds(1))) {
            assertThat(annotations(lostMember)).as("no replacement before %s", replaceAt).doesNotContainKey(Contract.Annotations.REPLACE_CAUSE);
            Thread.sleep(500);
        }
        String nodeCause = awaitReplaced(name, lostMember);
        assertThat(nodeCause).contains("absent since " + since).contains("grace period 15s");
        assertThat(events(name, "ReplacementStarted")).singleElement().satisfies(e -> assertThat(Instant.parse(e.getFirstTimestamp()))
                .as("started after the grace period").isAfterOrEqualTo(replaceAt));
        assertThat(events(name, "NodeAbsent")).hasSize(1);
        for (String healthy : List.of(prefix + "0", prefix + "2")) {
            assertThat(annotations(healthy)).as("healthy member %s", healthy)
                    .doesNotContainKeys(Contract.Annotations.NODE_ABSENT_SINCE, Contract.Annotations.REPLACE_CAUSE);
        }
        System.out.printf("MEASURED replacement through the operator after delete-node: %d s (node deleted to member "
                + "NORMAL, repaired, records removed)%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());
        runtime.rememberProcesses();
        assertThat(client.pods().inNamespace(NAMESPACE).withName(lostMember).get().getSpec().getNodeName()).isNotEqualTo(lostNode);
        assertThat(client.services().inNamespace(NAMESPACE).withName(lostMember).get().getSpec().getClusterIP()).isEqualTo(lostAddress);
        assertRing(name, agents, addresses);
        assertEveryRowOnTheReplacedMemberAlone(superuser, lostAddress);
        try (CqlSession session = runtime.session(superuser, contactPoints)) {
            assertThat(RowsTable.readIds(session, ConsistencyLevel.ALL)).hasSize(ROWS);
        }

        // A wiped disk under a pod that restarts (a node reboot): Cassandra refuses to rejoin under an address the ring
        // knows, the agent exits with its lost-volume code, and the operator replaces the member. Nobody labels anything.
        String wipedMember = prefix + "2";
        String wipedAddress = client.services().inNamespace(NAMESPACE).withName(wipedMember).get().getSpec().getClusterIP();
        started = System.nanoTime();
        CliProcess.Result wiped = runtime.cli(Duration.ofMinutes(2), "wipe-disk", "data-" + wipedMember);
        assertThat(wiped.exitCode()).as(wiped.output()).isZero();
        CliProcess.Result killed = runtime.cli(Duration.ofMinutes(2), "kill-pod", wipedMember);
        assertThat(killed.exitCode()).as(killed.output()).isZero();
        String cause = awaitReplaced(name, wipedMember);
        System.out.printf("MEASURED replacement through the operator after wipe-disk and a pod restart, no label: %d s (wipe to "
                + "member NORMAL, repaired, records removed, Cluster Ready)%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());
        runtime.rememberProcesses();
        System.out.printf("MEASURED Cassandra's own replace (replace_address_first_boot) in the same run: %d s (the replacing "
                + "agent's start to Cassandra NORMAL, from its log)%n", replaceStartToNormal(wipedMember, wipedAddress).toSeconds());
        assertThat(cause).contains("exit code " + Contract.AgentExit.VOLUME_LOST);
        assertThat(client.services().inNamespace(NAMESPACE).withName(wipedMember).get().getMetadata().getLabels())
                .doesNotContainKey(Contract.Labels.REPLACE);
        assertThat(client.services().inNamespace(NAMESPACE).withName(wipedMember).get().getSpec().getClusterIP()).isEqualTo(wipedAddress);
        assertRing(name, agents, addresses);
        assertEveryRowOnTheReplacedMemberAlone(superuser, wipedAddress);
        try (CqlSession session = runtime.session(superuser, contactPoints)) {
            assertThat(RowsTable.readIds(session, ConsistencyLevel.ALL)).hasSize(ROWS);
        }
        assertThat(client.configMaps().inNamespace(NAMESPACE).withName(name + Contract.MembersConfig.SUFFIX).get().getData().keySet())
                .noneMatch(k -> k.endsWith(Contract.MembersConfig.REPLACE_SUFFIX));
    }

    /**
     * Before any read at ALL (which would repair a replica that streamed nothing and hide a failed stream): every row
     * read at ONE through the replaced member alone, which with RF=3 on 3 members answers from its own replica.
     */
    private void assertEveryRowOnTheReplacedMemberAlone(SuperuserLogin superuser, String address) {
        try (CqlSession alone = runtime.sessionToMemberAlone(superuser, new InetSocketAddress(address, Contract.Ports.CQL))) {
            assertThat(RowsTable.readIds(alone, ConsistencyLevel.ONE)).as("rows the replaced member " + address + " holds").hasSize(ROWS);
        }
    }

    /**
     * From the member's container log: the time from the start of the agent that replaced the member (it logs that it
     * replaces its own address) to Cassandra NORMAL, i.e. Cassandra's replace with {@code replace_address_first_boot}
     * without the operator's part (noticing the loss, giving up the claim and the pod, rescheduling, repair).
     */
    private Duration replaceStartToNormal(String member, String address) throws IOException {
        List<String> lines = Files.readAllLines(runtime.cassandraLog(member));
        int normal = lastIndex(lines, lines.size(), "JoinRecorder - Cassandra is NORMAL");
        int start = lastIndex(lines, normal, "AgentMain - Member " + member);
        assertThat(normal).as("the replacing agent logged NORMAL").isPositive();
        assertThat(start).as("the replacing agent's start").isNotNegative();
        assertThat(lines.subList(start, normal)).as("that start was a replacement")
                .anyMatch(l -> l.contains("Replacing the member at " + address));
        return Duration.between(logTime(lines.get(start)), logTime(lines.get(normal)));
    }

    private static int lastIndex(List<String> lines, int before, String text) {
        for (int i = before - 1; i >= 0; i--) {
            if (lines.get(i).contains("[agent]") && lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    /** The timestamp of an agent log line ({@code INFO  [agent] 2026-11-25 10:06:33,852 AgentMain - ...}). */
    private static LocalDateTime logTime(String line) {
        String[] words = line.substring(line.indexOf("[agent]") + "[agent]".length()).trim().split(" ");
        return LocalDateTime.parse(words[0] + "T" + words[1].replace(',', '.'));
    }

    /** The replacement started, then finished: records gone, the Cluster Ready with 3 members. Returns the recorded cause. */
    private String awaitReplaced(String cluster, String member) {
        String cause = await().atMost(REPLACE_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> annotations(member).get(Contract.Annotations.REPLACE_CAUSE), Objects::nonNull);
        await().atMost(REPLACE_TIMEOUT).pollInterval(Duration.ofSeconds(2)).until(() -> {
            Cluster current = cluster(cluster);
            boolean ready = current.getStatus() != null && Integer.valueOf(3).equals(current.getStatus().getReadyMembers())
                    && current.getStatus().getConditions().stream().anyMatch(c -> isTrue(c, "Ready"));
            return ready && !annotations(member).containsKey(Contract.Annotations.REPLACE_CAUSE);
        });
        return cause;
    }

    private List<Event> events(String cluster, String reason) {
        return runtime.client().v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason()) && cluster.equals(e.getInvolvedObject().getName())).toList();
    }

    private static boolean isTrue(Condition condition, String type) {
        return type.equals(condition.getType()) && "True".equals(condition.getStatus());
    }

    private Map<String, String> annotations(String member) {
        Service service = runtime.client().services().inNamespace(NAMESPACE).withName(member).get();
        return service.getMetadata().getAnnotations() == null ? Map.of() : service.getMetadata().getAnnotations();
    }

    /** Every member's Cassandra sees the same three live nodes, at the members' ClusterIPs, none down or moving. */
    private void assertRing(String cluster, MemberAgents agents, Set<String> addresses) {
        for (Pod pod : runtime.client().pods().inNamespace(NAMESPACE).withLabel(Contract.Labels.CLUSTER, cluster).list().getItems()) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                JsonNode node = agents.get(pod.getStatus().getPodIP(), Contract.AgentApi.NODE);
                assertThat(node.path("operationMode").asText()).isEqualTo("NORMAL");
                Set<String> live = new HashSet<>();
                node.path("liveNodes").forEach(n -> live.add(n.asText().replaceFirst(":.*", "")));
                assertThat(live).as(node.toString()).isEqualTo(addresses);
                assertThat(node.path("unreachableNodes")).as(node.toString()).isEmpty();
                assertThat(node.path("joiningNodes")).as(node.toString()).isEmpty();
            });
        }
    }
}
