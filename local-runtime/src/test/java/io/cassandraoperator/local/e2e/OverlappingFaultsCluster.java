package io.cassandraoperator.local.e2e;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.JsonNode;
import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.local.cli.CliProcess;
import io.cassandraoperator.local.cli.SuperuserLogin;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shared cluster of the overlapping-fault tests (#23): issue #23's two schedules of overlapping faults, on one shared cluster (3 members, RF=3) under a QUORUM writer with
 * idempotent inserts: each converges to 3 ready members, every acknowledged row read at ONE from each member alone and
 * then at ALL, and a ring of exactly the 3 members in every member's gossip and {@code system.peers}. Since the agent
 * exits 86 within seconds when a volume vanishes under its Cassandra (#23, on main), the schedules play differently
 * than the issue describes (the wiped member becomes a loss before anything joins); the steps and their order are
 * kept as written and the outcome is asserted. What the operator did is printed (abandoned bootstraps, replacements,
 * decommissions) with the time each schedule took.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class OverlappingFaultsCluster extends EndToEndTest {
    /** Not the example's name: another runtime on this machine may run the example on addresses this one hands out. */
    static final String CLUSTER = "faults";
    static final String STATEFUL_SET = CLUSTER + "-dc1-rack1";
    static final Duration CONVERGE_TIMEOUT = Duration.ofMinutes(15);

    KubernetesClient client;
    private MemberAgents agents;
    private List<InetSocketAddress> contactPoints;
    final Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();

    OverlappingFaultsCluster(String name) throws java.io.IOException {
        super(LocalRuntimeFixture.of(name));
    }

    @BeforeAll
    void upWithThreeMembersAndAnRf3Keyspace() throws Exception {
        Path manifest = Files.createTempFile("faults-cluster-", ".yaml");
        String example = Files.readString(CliProcess.PROJECT.resolve("examples/cluster.yaml"));
        assertThat(example).contains("  name: cassandra\n");
        Files.writeString(manifest, example.replace("  name: cassandra\n", "  name: " + CLUSTER + "\n"));
        CliProcess.Result up;
        try {
            up = runtime.up(manifest);
        } finally {
            Files.delete(manifest);
        }
        assertThat(up.exitCode()).as(up.output()).isZero();
        client = runtime.client();
        agents = agents(CLUSTER, Duration.ofSeconds(10));
        contactPoints = runtime.contactPoints(cluster(CLUSTER));
        assertThat(contactPoints).hasSize(3);
        try (CqlSession session = session()) {
            RowsTable.create(session);
        }
    }

    /**
     * Runs the schedule under a QUORUM writer, lets the cluster settle at 3 members and asserts the convergence; prints
     * the seed first (so a failure can be replayed with -Dfaults.seed) and the time the seed took.
     */
    void runSchedule(FaultSchedule schedule) throws Exception {
        System.out.printf("FAULTS seed %d (replay: -Dfaults.seed=%d): %s%n", schedule.seed(), schedule.seed(), schedule.faults());
        long started = System.nanoTime();
        try (CqlSession session = session(); QuorumWriter writer = new QuorumWriter(session, acknowledged)) {
            await().atMost(Duration.ofMinutes(2)).until(() -> acknowledged.size() >= 200);
            for (FaultSchedule.Fault fault : schedule.faults()) {
                Thread.sleep(fault.pauseMillis());
                if (fault.destructive()) {
                    awaitNoReplicaDown(); // one replica's worth of loss at a time
                }
                int members = client.apps().statefulSets().inNamespace(NAMESPACE).withName(STATEFUL_SET).get().getSpec().getReplicas();
                System.out.printf("FAULTS seed %d: %s (%d members)%n", schedule.seed(), fault, members);
                switch (fault.kind()) {
                    case SCALE -> editMembers(fault.value());
                    case KILL_OPERATOR -> killOperator();
                    case KILL_POD -> killPod(member(fault.value() % members));
                    case WIPE_DISK -> wipeDisk(member(fault.value() % members));
                }
            }
            editMembers(3);
            awaitConverged();
            writer.close();
            System.out.printf("MEASURED faults seed %d: %d s, %d rows acknowledged at QUORUM, %d write failures (last: %s)%n",
                    schedule.seed(), Duration.ofNanos(System.nanoTime() - started).toSeconds(), acknowledged.size(), writer.failures.get(),
                    writer.lastFailure.get());
        }
        reportWhatTheOperatorDid("faults seed " + schedule.seed());
        assertConvergedWithEveryRow(false);
    }

    /**
     * No replica is down: every member but the rack's highest is ready and no replacement is recorded. The highest may
     * still be joining (it holds no data yet), so a wipe or a kill can land during a bootstrap, as in issue #23.
     */
    private void awaitNoReplicaDown() {
        await().atMost(CONVERGE_TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            int replicas = client.apps().statefulSets().inNamespace(NAMESPACE).withName(STATEFUL_SET).get().getSpec().getReplicas();
            for (int ordinal = 0; ordinal < replicas - 1; ordinal++) {
                Pod pod = client.pods().inNamespace(NAMESPACE).withName(member(ordinal)).get();
                boolean ready = pod != null && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
                if (!ready) {
                    return false;
                }
            }
            return memberServices().stream().noneMatch(s -> s.getMetadata().getAnnotations() != null
                    && s.getMetadata().getAnnotations().containsKey(Contract.Annotations.REPLACE_CAUSE));
        });
    }

    /** 3 ready members, the Cluster Ready, and no operation recorded on any member Service. */
    void awaitConverged() {
        await().atMost(CONVERGE_TIMEOUT).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            Cluster cluster = cluster(CLUSTER);
            assertThat(cluster.getStatus().getReadyMembers()).as(String.valueOf(cluster.getStatus().getConditions())).isEqualTo(3);
            assertThat(cluster.getStatus().getConditions()).as(String.valueOf(cluster.getStatus().getConditions()))
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            assertThat(client.apps().statefulSets().inNamespace(NAMESPACE).withName(STATEFUL_SET).get().getSpec().getReplicas()).isEqualTo(3);
            List<Service> services = memberServices();
            assertThat(services).extracting(s -> s.getMetadata().getName()).containsExactlyInAnyOrder(member(0), member(1), member(2));
            for (Service service : services) {
                Map<String, String> records = service.getMetadata().getAnnotations() == null ? Map.of() : service.getMetadata().getAnnotations();
                assertThat(records).as(service.getMetadata().getName()).doesNotContainKeys(Contract.Annotations.REPLACE_CAUSE,
                        Contract.Annotations.BOOTSTRAP_ABANDON_CAUSE, Contract.Annotations.DECOMMISSION_STARTED);
            }
        });
    }

    /**
     * The ring is exactly the 3 members in every member's gossip and {@code system.peers}; every acknowledged row reads
     * at ALL. Before that read (which repairs what it reads), each member alone is read at ONE: with
     * {@code everyMemberHoldsEveryRow} every acknowledged row must be there, as issue #23 asks of its two schedules;
     * else what a member lacks is printed. A random schedule may SIGKILL a member that coordinated a write the two
     * others acknowledged, or that had not applied it yet: QUORUM promises two copies, and the third comes back only
     * by a hint (none exists for the coordinator itself), a read repair or a repair.
     */
    void assertConvergedWithEveryRow(boolean everyMemberHoldsEveryRow) throws Exception {
        Set<String> addresses = memberServices().stream().map(s -> s.getSpec().getClusterIP()).collect(Collectors.toSet());
        assertThat(addresses).hasSize(3);
        for (Pod pod : client.pods().inNamespace(NAMESPACE).withLabel(Contract.Labels.CLUSTER, CLUSTER).list().getItems()) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                JsonNode node = agents.get(pod.getStatus().getPodIP(), Contract.AgentApi.NODE);
                assertThat(node.path("operationMode").asText()).isEqualTo("NORMAL");
                Set<String> live = new HashSet<>();
                node.path("liveNodes").forEach(n -> live.add(n.asText().replaceFirst(":.*", "")));
                assertThat(live).as(node.toString()).isEqualTo(addresses);
                assertThat(node.path("unreachableNodes")).as(node.toString()).isEmpty();
                assertThat(node.path("joiningNodes")).as(node.toString()).isEmpty();
                assertThat(node.path("leavingNodes")).as(node.toString()).isEmpty();
            });
        }
        SuperuserLogin superuser = runtime.superuser(CLUSTER);
        for (String address : addresses) {
            try (CqlSession alone = runtime.sessionToMemberAlone(superuser, new InetSocketAddress(address, Contract.Ports.CQL))) {
                Set<String> others = new HashSet<>(addresses);
                others.remove(address);
                assertThat(peers(alone, "system.peers")).as("system.peers of " + address).isEqualTo(others);
                assertThat(peers(alone, "system.peers_v2")).as("system.peers_v2 of " + address).isEqualTo(others);
                Set<Integer> lacking = missing(RowsTable.readIds(alone, ConsistencyLevel.ONE));
                if (everyMemberHoldsEveryRow) {
                    assertThat(lacking).as("acknowledged rows member " + address + " does not hold").isEmpty();
                } else {
                    System.out.printf("MEASURED member %s alone at ONE lacks %d of %d acknowledged rows%s%n", address,
                            lacking.size(), acknowledged.size(), lacking.isEmpty() ? ""
                                    : ", first " + lacking.stream().sorted().limit(20).toList());
                }
            }
        }
        try (CqlSession session = session()) {
            assertThat(missing(RowsTable.readIds(session, ConsistencyLevel.ALL))).as("acknowledged rows not read at ALL").isEmpty();
        }
    }

    private static Set<String> peers(CqlSession session, String table) {
        Set<String> peers = new HashSet<>();
        for (Row row : session.execute("SELECT peer FROM " + table)) {
            peers.add(row.getInetAddress("peer").getHostAddress());
        }
        return peers;
    }

    /** Acknowledged ids not in {@code read}, by hash lookups (containsAll scans per element and takes minutes). */
    private Set<Integer> missing(Set<Integer> read) {
        return acknowledged.stream().filter(id -> !read.contains(id)).collect(Collectors.toSet());
    }

    void reportWhatTheOperatorDid(String schedules) {
        Map<String, Long> counts = client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> CLUSTER.equals(e.getInvolvedObject().getName()))
                .collect(Collectors.groupingBy(Event::getReason, Collectors.counting()));
        System.out.printf("MEASURED after %s, Events by reason: %s%n", schedules, counts);
        client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> EventReason.BootstrapAbandoned.name().equals(e.getReason()))
                .forEach(e -> System.out.printf("MEASURED %s: %s%n", e.getReason(), e.getMessage()));
    }

    /** SIGKILL of the operator process; waits until the runtime restarted it. */
    void killOperator() throws Exception {
        ProcessHandle operator = runtime.operator().orElseThrow();
        operator.destroyForcibly();
        operator.onExit().get(1, TimeUnit.MINUTES);
        Optional<ProcessHandle> restarted = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> runtime.operator().filter(p -> p.pid() != operator.pid()), Optional::isPresent);
        System.out.printf("KILLED the operator (pid %d, SIGKILL); restarted as pid %d%n", operator.pid(), restarted.orElseThrow().pid());
    }

    void wipeDisk(String member) throws Exception {
        CliProcess.Result wiped = runtime.cli(Duration.ofMinutes(2), "wipe-disk", "data-" + member);
        assertThat(wiped.exitCode()).as(wiped.output()).isZero();
    }

    /**
     * SIGKILL of the member's containers. A member whose agent already stopped Cassandra (it found its volume lost)
     * may be between restarts with nothing to kill: the fault's point, that member down, holds already.
     */
    void killPod(String member) throws Exception {
        CliProcess.Result killed = runtime.cli(Duration.ofMinutes(2), "kill-pod", member);
        if (killed.exitCode() != 0 && killed.output().contains("no running container")) {
            System.out.printf("FAULTS: %s had no running container to kill: it is down already%n", member);
            return;
        }
        assertThat(killed.exitCode()).as(killed.output()).isZero();
    }

    void editMembers(int members) {
        Consumer<Cluster> change = c -> c.getSpec().getDatacenter().getRacks().get(0).setMembers(members);
        client.resources(Cluster.class).inNamespace(NAMESPACE).withName(CLUSTER).edit(c -> {
            change.accept(c);
            return c;
        });
    }

    List<Service> memberServices() {
        return client.services().inNamespace(NAMESPACE).withLabel(Contract.Labels.CLUSTER, CLUSTER).list().getItems().stream()
                .filter(s -> s.getMetadata().getName().startsWith(STATEFUL_SET + "-")).toList();
    }

    Map<String, String> annotations(String member) {
        Service service = client.services().inNamespace(NAMESPACE).withName(member).get();
        return service == null || service.getMetadata().getAnnotations() == null ? Map.of() : service.getMetadata().getAnnotations();
    }

    static String member(int ordinal) {
        return STATEFUL_SET + "-" + ordinal;
    }

    CqlSession session() {
        return runtime.session(runtime.superuser(CLUSTER), contactPoints);
    }
}
