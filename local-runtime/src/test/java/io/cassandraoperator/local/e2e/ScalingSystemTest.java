package io.cassandraoperator.local.e2e;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.databind.JsonNode;
import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.api.RackStatus;
import io.cassandraoperator.local.cli.CliProcess;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Safe scaling (issues #6 and #12) end to end: the CLI as a process, the real operator, agents and Cassandra, one
 * runtime shared by the ordered steps (a Cassandra node costs ~1 GB and ~15 s to join). The steps build on each other:
 * 3→5→3 under a QUORUM writer (the operator process killed at each step of both decommissions of 5→3), then a refused 3→2, then a 3→2 that Cassandra itself refuses, then the logs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScalingSystemTest extends EndToEndTest {
    /**
     * Not the example's name: Cassandra gossips with any node of the same cluster name, and another runtime on this
     * machine may run the example on addresses this one hands out later.
     */
    private static final String CLUSTER = "scaling";
    private static final String RACK = "rack1";
    private static final String STATEFUL_SET = CLUSTER + "-dc1-" + RACK;
    private static final int MIN_ACKNOWLEDGED = 10_000;
    private static final Duration SCALE_TIMEOUT = Duration.ofMinutes(10);
    /** The Events of a decommission, in protocol order. */
    private static final List<String> DECOMMISSION_EVENTS = Stream.of(EventReason.DecommissionStarted,
            EventReason.DecommissionFinished, EventReason.MemberRemoved).map(EventReason::name).toList();

    private KubernetesClient client;
    private MemberAgents agents;
    private List<InetSocketAddress> contactPoints;

    private final Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();

    /** On a project snapshot: this test runs long enough to see a build on this machine rewrite the agent's image. */
    ScalingSystemTest() throws IOException {
        super(LocalRuntimeFixture.ofProjectSnapshot("scaling"));
    }

    @BeforeAll
    void upWithThreeMembersAndAnRf3Keyspace() throws Exception {
        Path manifest = runtime.project().resolve("scaling.yaml");
        String example = Files.readString(runtime.project().resolve("examples").resolve("cluster.yaml"));
        assertThat(example).contains("  name: cassandra\n");
        Files.writeString(manifest, example.replace("  name: cassandra\n", "  name: " + CLUSTER + "\n"));
        CliProcess.Result up = runtime.up(manifest);
        assertThat(up.exitCode()).as(up.output()).isZero();
        client = runtime.client();
        agents = agents(CLUSTER, Duration.ofSeconds(10));
        contactPoints = runtime.contactPoints(cluster());
        assertThat(contactPoints).hasSize(3);
        try (CqlSession session = session()) {
            RowsTable.create(session);
        }
    }

    @Test
    @Order(1)
    void scaleUpToFiveAndBackToThreeUnderAQuorumWriterLosesNoAcknowledgedRow() throws Exception {
        StatusSampler sampler = new StatusSampler();
        try (CqlSession session = session(); QuorumWriter writer = new QuorumWriter(session, acknowledged)) {
            await().atMost(Duration.ofMinutes(2)).until(() -> acknowledged.size() >= 500);
            sampler.start();

            editCluster(c -> rack(c).setMembers(5));
            awaitSettled(5);
            int afterUp = sampler.samples.size();
            System.out.printf("MEASURED scale-up 3->5: %d rows acknowledged so far, %d write failures%n",
                    acknowledged.size(), writer.failures.get());
            reportCleanupLoads(List.of(member(0), member(1), member(2), member(3)));

            // 5->3 with the operator process killed (SIGKILL) at each step of both decommissions; the runtime restarts it.
            editCluster(c -> rack(c).setMembers(3));
            Map<String, List<DecommissionPoint>> killedAt = new TreeMap<>();
            for (int ordinal : List.of(4, 3)) {
                for (DecommissionPoint target : DecommissionPoint.TARGETS) {
                    killedAt.computeIfAbsent(member(ordinal), m -> new ArrayList<>()).add(killOperatorAt(ordinal, target));
                }
            }
            awaitSettled(3);
            // A sample can take seconds (an agent whose pod is gone times out): two more samples make sure one began
            // after the cluster settled, so the removed members' Services are seen gone before the sampler stops.
            int settledAt = sampler.samples.size();
            await().atMost(Duration.ofMinutes(1)).until(() -> sampler.samples.size() >= settledAt + 2);
            System.out.printf("MEASURED operator killed at: %s%n", killedAt);
            assertThat(killedAt.values().stream().flatMap(List::stream)).as("every step of the decommission protocol had a kill")
                    .containsAll(DecommissionPoint.TARGETS);
            await().atMost(Duration.ofMinutes(5)).until(() -> acknowledged.size() >= MIN_ACKNOWLEDGED);
            writer.close();
            sampler.stop();
            System.out.printf("MEASURED scale 3->5->3: %d rows acknowledged at QUORUM, %d write failures%n",
                    acknowledged.size(), writer.failures.get());

            assertStatusRightAtEverySample(sampler.samples.subList(0, afterUp), 3, 5, true);
            assertStatusRightAtEverySample(sampler.samples.subList(afterUp, sampler.samples.size()), 3, 5, false);
            assertThat(sampler.samples.subList(0, afterUp)).as("the rack's member counts while scaling up")
                    .extracting(Sample::members).contains(4, 5);
            assertThat(sampler.samples.subList(afterUp, sampler.samples.size()))
                    .as("MemberLeaving while scaling down").anyMatch(Sample::memberLeaving);

            // The budget: RF=3, members join and leave one at a time and drain before they stop, so QUORUM (2 of 3)
            // always has its replicas; an operator killed at any step stops no Cassandra. Every idempotent write succeeds.
            assertThat(writer.failures.get()).as("failed idempotent QUORUM writes during 3->5->3 (budget: 0); last: "
                    + writer.lastFailure.get()).isZero();
            Set<Integer> read = RowsTable.readIds(session, ConsistencyLevel.ALL);
            assertThat(missing(acknowledged, read)).as("acknowledged rows that do not read back at ALL").isEmpty();
        }

        assertThat(sampler.samples).as("never two members leaving at once, by the operator's records")
                .allSatisfy(s -> assertThat(s.decommissionLabels()).as(s.toString()).hasSizeLessThanOrEqualTo(1));
        assertThat(sampler.samples).as("never two members leaving at once, as Cassandra's ring reports it")
                .allSatisfy(s -> assertThat(s.cassandraLeaving() == null ? Set.of() : s.cassandraLeaving())
                        .as(s.toString()).hasSizeLessThanOrEqualTo(1))
                .as("Cassandra reported a leaving node in some sample, so the check above saw the decommissions")
                .anyMatch(s -> s.cassandraLeaving() != null && s.cassandraLeaving().size() == 1);
        for (String removed : List.of(member(4), member(3))) {
            assertThat(decommissionRuns(removed)).as("decommissions Cassandra ran on " + removed + " (its agent's log)").isEqualTo(1);
            // Exactly once each, in protocol order, although the operator was killed between records and their Events.
            List<String> reasons = reasonsFor(removed).stream()
                    .filter(DECOMMISSION_EVENTS::contains).toList();
            assertThat(reasons).as("events about " + removed + ", once each in protocol order").containsExactlyElementsOf(DECOMMISSION_EVENTS);
            assertThat(client.services().inNamespace(NAMESPACE).withName(removed).get()).isNull();
            assertThat(client.pods().inNamespace(NAMESPACE).withName(removed).get()).isNull();
            assertThat(client.persistentVolumeClaims().inNamespace(NAMESPACE).withName("data-" + removed).get())
                    .as("the claim of " + removed).isNull();
            Sample labelled = sampler.firstWhere(s -> s.decommissionLabels().containsKey(removed)).orElseThrow();
            Sample done = sampler.firstWhere(s -> "DONE".equals(s.agentDecommission().get(removed))).orElseThrow();
            Sample gone = sampler.firstWhere(s -> s.time() > done.time() && !s.services().contains(removed))
                    .orElseThrow();
            assertThat(sampler.samples).as(removed + " was still ready when its decommission was wanted")
                    .anyMatch(s -> s.time() <= labelled.time() && s.ready().contains(removed));
            Optional<Sample> running = sampler.firstWhere(s -> "RUNNING".equals(s.agentDecommission().get(removed)));
            System.out.printf("MEASURED decommission of %s through the operator (label set -> Service gone): %.1f s;"
                            + " Cassandra's decommission as its agent reports it (first RUNNING seen -> DONE): %s%n",
                    removed, (gone.time() - labelled.time()) / 1e9,
                    running.map(r -> String.format("%.1f s", (done.time() - r.time()) / 1e9)).orElse("RUNNING not sampled"));
        }
        assertRing(3);
    }

    @Test
    @Order(2)
    void scaleDownBelowTheReplicationFactorIsRefusedAndChangesNothing() {
        Map<String, String> before = resourceVersions();
        editCluster(c -> rack(c).setMembers(2));
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            Condition degraded = condition("Degraded").orElseThrow();
            assertThat(degraded.getStatus()).isEqualTo("True");
            assertThat(degraded.getReason()).isEqualTo(EventReason.ScaleDownBelowReplicationFactor.name());
            assertThat(degraded.getMessage()).contains("3");
        });
        assertThat(condition("Ready").orElseThrow().getStatus()).isEqualTo("False");
        assertThat(reasons()).contains(EventReason.ScaleDownBelowReplicationFactor.name());
        // A few reconciles and agent polls pass meanwhile; not one member object may change.
        await().during(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(resourceVersions()).isEqualTo(before));

        editCluster(c -> rack(c).setMembers(3));
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() ->
                assertThat(condition("Ready").orElseThrow().getStatus()).isEqualTo("True"));
        assertThat(resourceVersions()).isEqualTo(before);
    }

    @Test
    @Order(3)
    void aDecommissionCassandraRefusesIsReportedWithItsMessageAndTheMemberStays() throws Exception {
        // The operator would refuse 3->2 itself at RF 3; at a declared RF 2 it asks, and Cassandra refuses because
        // keyspaces (e2e, and Cassandra's own system_distributed) still have RF 3 on a 3-node ring.
        editCluster(c -> {
            c.getSpec().getDatacenter().setReplicationFactor(2);
            rack(c).setMembers(2);
        });
        String leaving = member(2);
        await().atMost(SCALE_TIMEOUT).untilAsserted(() -> {
            Service service = client.services().inNamespace(NAMESPACE).withName(leaving).get();
            assertThat(service.getMetadata().getAnnotations()).containsKey(Contract.Annotations.DECOMMISSION_FAILURE);
        });
        String cassandraMessage = client.services().inNamespace(NAMESPACE).withName(leaving).get().getMetadata()
                .getAnnotations().get(Contract.Annotations.DECOMMISSION_FAILURE);
        System.out.println("Cassandra refused the decommission of " + leaving + ": " + cassandraMessage);
        // Cassandra names the first keyspace it finds short of replicas (often system_distributed, also RF 3).
        assertThat(cassandraMessage).contains("Not enough live nodes to maintain replication factor", "RF = 3");
        assertThat(agent(leaving, Contract.AgentApi.DECOMMISSION).path("message").asText()).isEqualTo(cassandraMessage);
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            Condition degraded = condition("Degraded").orElseThrow();
            assertThat(degraded.getStatus()).isEqualTo("True");
            assertThat(degraded.getMessage()).contains(leaving, cassandraMessage);
        });
        assertThat(events()).anySatisfy(event -> {
            assertThat(event.getType()).isEqualTo(EventReason.DecommissionFailed.type().value());
            assertThat(event.getReason()).isEqualTo(EventReason.DecommissionFailed.name());
            assertThat(event.getMessage()).contains(leaving, cassandraMessage);
        });
        assertThat(client.pods().inNamespace(NAMESPACE).withName(leaving).get()).isNotNull();
        assertThat(client.apps().statefulSets().inNamespace(NAMESPACE).withName(STATEFUL_SET).get().getSpec()
                .getReplicas()).isEqualTo(3);
        assertRing(3);

        editCluster(c -> {
            c.getSpec().getDatacenter().setReplicationFactor(3);
            rack(c).setMembers(3);
        });
        awaitSettled(3);
        assertThat(reasonsFor(leaving)).contains(EventReason.DecommissionCancelled.name());
        assertThat(client.services().inNamespace(NAMESPACE).withName(leaving).get().getMetadata().getLabels())
                .doesNotContainKey(Contract.Labels.DECOMMISSIONED);
    }

    @Test
    @Order(4)
    void aScaleUpWaitsForAStoppedMemberThenCleansUpTheOldMembersOneAtATime() throws Exception {
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(MIN_ACKNOWLEDGED);
        String since = java.time.Instant.now().toString();
        StatusSampler sampler = new StatusSampler();
        sampler.start();
        CliProcess.Result kill = runtime.cli(Duration.ofMinutes(2), "kill-pod", member(1));
        assertThat(kill.exitCode()).as(kill.output()).isZero();
        editCluster(c -> rack(c).setMembers(4));
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Condition progressing = condition("Progressing").orElseThrow();
            assertThat(progressing.getStatus()).isEqualTo("True");
            assertThat(progressing.getMessage()).contains(member(1));
            assertThat(client.apps().statefulSets().inNamespace(NAMESPACE).withName(STATEFUL_SET).get().getSpec()
                    .getReplicas()).as("no member added while " + member(1) + " is down").isEqualTo(3);
            System.out.println("Progressing while " + member(1) + " restarts: " + progressing.getMessage());
        });
        awaitSettled(4);
        sampler.stop();

        // Over the whole window, not at one instant: no member is added until the stopped one is ready again.
        List<Sample> samples = sampler.samples;
        int down = indexOf(samples, 0, s -> !s.ready().contains(member(1)));
        int back = indexOf(samples, Math.max(down, 0), s -> s.ready().contains(member(1)));
        assertThat(down).as("a sample saw " + member(1) + " down").isNotNegative();
        assertThat(back).as("a sample saw " + member(1) + " ready again").isPositive();
        assertThat(samples.subList(0, back)).as("StatefulSet replicas until " + member(1) + " was ready again")
                .allSatisfy(s -> assertThat(s.replicas()).as(s.toString()).isEqualTo(3));
        assertThat(samples.subList(back, samples.size())).extracting(Sample::replicas).contains(4);

        assertThat(sampler.samples).as("at most one cleanup started at a time")
                .allSatisfy(s -> assertThat(s.cleanupStarted()).hasSizeLessThanOrEqualTo(1));
        List<Event> cleanups = events().stream().filter(e -> e.getFirstTimestamp().compareTo(since) > 0)
                .filter(e -> EventReason.CleanupFinished.name().equals(e.getReason())).toList();
        cleanups.forEach(e -> System.out.println("MEASURED event " + e.getReason() + ": " + e.getMessage()));
        assertThat(cleanups).hasSize(3).allSatisfy(e -> assertThat(e.getMessage()).contains("load before"));
        assertThat(cleanups).extracting(e -> e.getMessage().split(" ")[1])
                .containsExactlyInAnyOrder(member(0), member(1), member(2));
        reportCleanupLoads(List.of(member(0), member(1), member(2)));
        assertRing(4);
    }

    @Test
    @Order(5)
    void aScaleDownReversedWhileTheDecommissionRunsEndsWithFourMembersAndEveryRow() throws Exception {
        String leaving = member(3);
        String oldHostId = agent(leaving, Contract.AgentApi.NODE).path("hostId").asText();
        assertThat(oldHostId).isNotBlank();
        String since = java.time.Instant.now().toString();
        editCluster(c -> rack(c).setMembers(3));
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() ->
                "RUNNING".equals(agentDecommissionState(leaving)));
        editCluster(c -> rack(c).setMembers(4));
        awaitSettled(4);

        List<String> reasons = events().stream().filter(e -> e.getFirstTimestamp().compareTo(since) > 0)
                .filter(e -> (e.getMessage() + " ").contains(leaving + " ")).map(Event::getReason).toList();
        System.out.println("events about " + leaving + ": " + reasons);
        assertThat(reasons).containsSubsequence(EventReason.DecommissionStarted.name(),
                EventReason.DecommissionFinished.name(), EventReason.MemberRemoved.name(), EventReason.MemberAdded.name());
        String newHostId = agent(leaving, Contract.AgentApi.NODE).path("hostId").asText();
        assertThat(newHostId).isNotBlank().isNotEqualTo(oldHostId);
        assertThat(assertRing(4)).contains(java.util.UUID.fromString(newHostId))
                .doesNotContain(java.util.UUID.fromString(oldHostId));
        try (CqlSession session = session()) {
            assertThat(missing(acknowledged, RowsTable.readIds(session, ConsistencyLevel.ALL)))
                    .as("acknowledged rows that do not read back at ALL").isEmpty();
        }
    }

    @Test
    @Order(6)
    void kubectlLogsOfAMemberShowCassandraStarting() throws Exception {
        String logs = runtime.kubectl("logs", member(1));
        assertThat(logs).contains("Startup complete");
    }

    /** One sample of what a user sees while scaling: the Cluster's rack status next to the members' objects. */
    record Sample(long time, int members, int readyMembers, boolean memberLeaving, int replicas, Set<String> services,
                  Set<String> ready, Map<String, String> decommissionLabels, Map<String, String> agentDecommission,
                  Set<String> cleanupStarted, Set<String> cassandraLeaving) {
    }

    /**
     * The steps of the decommission protocol (operator/README.md, DecommissionStep) as the API and the agent show them,
     * in protocol order: where a killed operator left a decommission.
     */
    enum DecommissionPoint {
        /** Label {@code decommissioned=false} written on the Service; the agent not asked yet (it reports NOT_STARTED). */
        INTENT_RECORDED,
        /** The agent asked: Cassandra's decommission RUNNING (or DONE and not recorded yet); the label still false. */
        CASSANDRA_DECOMMISSIONING,
        /** Label {@code true} written (Cassandra reported DONE); the StatefulSet not lowered yet, the pod still there. */
        DONE_RECORDED,
        /** The StatefulSet lowered; the member's claim and Service not removed yet. */
        STATEFULSET_LOWERED,
        /** The Service, which holds the record, is gone: the member is removed. */
        REMOVED;

        static final List<DecommissionPoint> TARGETS = List.of(INTENT_RECORDED, CASSANDRA_DECOMMISSIONING, DONE_RECORDED,
                STATEFULSET_LOWERED);
    }

    /**
     * SIGKILLs the operator process (by the PID the runtime records) as soon as the decommission of the member reaches
     * the target step (watched through an informer, so the kill comes before the operator's next step in most runs),
     * then waits until the runtime restarted it. Returns the step the decommission was really at when the operator died.
     */
    private DecommissionPoint killOperatorAt(int ordinal, DecommissionPoint target) throws Exception {
        String member = member(ordinal);
        ProcessHandle operator = runningOperator(-1);
        switch (target) {
            case INTENT_RECORDED -> client.services().inNamespace(NAMESPACE).withName(member)
                    .informOnCondition(l -> l.isEmpty() || l.get(0).getMetadata().getLabels().containsKey(Contract.Labels.DECOMMISSIONED))
                    .get(SCALE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            case CASSANDRA_DECOMMISSIONING -> await().atMost(SCALE_TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> reached(ordinal).compareTo(DecommissionPoint.CASSANDRA_DECOMMISSIONING) >= 0);
            case DONE_RECORDED -> client.services().inNamespace(NAMESPACE).withName(member)
                    .informOnCondition(l -> l.isEmpty() || "true".equals(l.get(0).getMetadata().getLabels().get(Contract.Labels.DECOMMISSIONED)))
                    .get(SCALE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            default -> client.apps().statefulSets().inNamespace(NAMESPACE).withName(STATEFUL_SET)
                    .informOnCondition(l -> l.isEmpty() || l.get(0).getSpec().getReplicas() <= ordinal)
                    .get(SCALE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        operator.destroyForcibly();
        operator.onExit().get(1, TimeUnit.MINUTES);
        DecommissionPoint reached = reached(ordinal);
        ProcessHandle restarted = runningOperator(operator.pid());
        System.out.printf("KILLED the operator (pid %d, SIGKILL) aiming at %s of %s: the decommission was at %s; restarted as pid %d%n",
                operator.pid(), target, member, reached, restarted.pid());
        return reached;
    }

    /** Where the member's decommission is, from the records (frozen while the operator is dead) and its agent. */
    private DecommissionPoint reached(int ordinal) {
        Service service = client.services().inNamespace(NAMESPACE).withName(member(ordinal)).get();
        if (service == null) {
            return DecommissionPoint.REMOVED;
        }
        if (client.apps().statefulSets().inNamespace(NAMESPACE).withName(STATEFUL_SET).get().getSpec().getReplicas() <= ordinal) {
            return DecommissionPoint.STATEFULSET_LOWERED;
        }
        String label = service.getMetadata().getLabels().get(Contract.Labels.DECOMMISSIONED);
        if ("true".equals(label)) {
            return DecommissionPoint.DONE_RECORDED;
        }
        if (label == null) {
            throw new AssertionError("no decommission of " + member(ordinal) + " is recorded");
        }
        return Set.of("RUNNING", "DONE").contains(agentDecommissionState(member(ordinal)))
                ? DecommissionPoint.CASSANDRA_DECOMMISSIONING : DecommissionPoint.INTENT_RECORDED;
    }

    /** The operator process the runtime runs (its PID file, {@code run/operator.pid}), other than the one with that PID. */
    private ProcessHandle runningOperator(long notPid) {
        return await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> runtime.operator().filter(p -> p.pid() != notPid), Optional::isPresent)
                .orElseThrow();
    }

    /** How many decommissions the member's agent started, from its container log (kept until a new pod of that name). */
    private long decommissionRuns(String member) throws IOException {
        try (Stream<String> lines = Files.lines(runtime.cassandraLog(member))) {
            return lines.filter(l -> l.contains("[agent]") && l.contains("BackgroundOperation - Started decommission")).count();
        }
    }

    /** Samples the rack status, the StatefulSet, the member Services and the leaving members' agents twice a second. */
    private final class StatusSampler {
        private final List<Sample> samples = new CopyOnWriteArrayList<>();
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private final AtomicReferenceFailure failure = new AtomicReferenceFailure();

        void start() {
            timer.scheduleWithFixedDelay(() -> {
                try {
                    samples.add(sample());
                } catch (RuntimeException e) {
                    failure.set(e);
                }
            }, 0, 500, TimeUnit.MILLISECONDS);
        }

        void stop() throws InterruptedException {
            timer.shutdown();
            assertThat(timer.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
            System.out.printf("sampled the status %d times; %d samples failed (API or agent unreachable), last: %s%n",
                    samples.size(), failure.count.get(), failure.last);
        }

        Optional<Sample> firstWhere(java.util.function.Predicate<Sample> predicate) {
            return samples.stream().filter(predicate).findFirst();
        }

        private Sample sample() {
            long time = System.nanoTime();
            Cluster cluster = cluster();
            RackStatus rack = cluster.getStatus().getRacks().get(RACK);
            boolean leaving = rack.getConditions() != null && rack.getConditions().stream()
                    .anyMatch(c -> RackStatus.RackCondition.MEMBER_LEAVING.equals(c.getType())
                            && "True".equals(c.getStatus()));
            int replicas = client.apps().statefulSets().inNamespace(NAMESPACE).withName(STATEFUL_SET).get().getSpec()
                    .getReplicas();
            List<Service> services = memberServices();
            Map<String, String> labels = new TreeMap<>();
            Map<String, String> agentStates = new TreeMap<>();
            Set<String> cleaning = new HashSet<>();
            for (Service service : services) {
                Map<String, String> annotations = service.getMetadata().getAnnotations();
                if (annotations != null && annotations.containsKey(Contract.Annotations.CLEANUP_STARTED)) {
                    cleaning.add(service.getMetadata().getName());
                }
                String label = service.getMetadata().getLabels().get(Contract.Labels.DECOMMISSIONED);
                if (label != null) {
                    String name = service.getMetadata().getName();
                    labels.put(name, label);
                    agentStates.put(name, agentDecommissionState(name));
                }
            }
            Set<String> ready = client.pods().inNamespace(NAMESPACE).withLabel(Contract.Labels.CLUSTER, CLUSTER).list()
                    .getItems().stream().filter(ScalingSystemTest::podReady).map(p -> p.getMetadata().getName())
                    .collect(Collectors.toSet());
            return new Sample(time, rack.getMembers(), rack.getReadyMembers(), leaving, replicas,
                    services.stream().map(s -> s.getMetadata().getName()).collect(Collectors.toSet()), ready, labels,
                    agentStates, cleaning, cassandraLeaving());
        }
    }

    /** Counts the samples that could not be taken and keeps the last reason (a pod going away is expected). */
    private static final class AtomicReferenceFailure {
        private final AtomicInteger count = new AtomicInteger();
        private volatile String last;

        void set(RuntimeException e) {
            count.incrementAndGet();
            last = e.toString();
        }
    }

    private static void assertStatusRightAtEverySample(List<Sample> samples, int from, int to, boolean growing) {
        assertThat(samples).isNotEmpty();
        int previous = growing ? from : to;
        for (Sample sample : samples) {
            assertThat(sample.members()).as(sample.toString()).isBetween(from, to);
            assertThat(sample.readyMembers()).as("one member at a time is not ready: " + sample)
                    .isBetween(sample.members() - 1, sample.members());
            if (growing) {
                assertThat(sample.members()).as("never shrinks while growing: " + sample).isGreaterThanOrEqualTo(previous);
                assertThat(sample.memberLeaving()).as(sample.toString()).isFalse();
            } else {
                assertThat(sample.members()).as("never grows while shrinking: " + sample).isLessThanOrEqualTo(previous);
            }
            previous = sample.members();
        }
    }

    /** Every member ready and settled: status, StatefulSet, pods, Services, no decommission or cleanup pending. */
    private void awaitSettled(int members) {
        await().atMost(SCALE_TIMEOUT).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            Cluster cluster = cluster();
            assertThat(cluster.getStatus().getRacks().get(RACK)).usingRecursiveComparison()
                    .ignoringFields("conditions").isEqualTo(new RackStatus(members, members));
            assertThat(cluster.getStatus().getObservedGeneration()).isEqualTo(cluster.getMetadata().getGeneration());
            assertThat(condition("Ready").orElseThrow().getStatus()).isEqualTo("True");
            assertThat(client.apps().statefulSets().inNamespace(NAMESPACE).withName(STATEFUL_SET).get().getSpec()
                    .getReplicas()).isEqualTo(members);
            List<Service> services = memberServices();
            assertThat(services).extracting(s -> s.getMetadata().getName())
                    .containsExactlyInAnyOrderElementsOf(members(members));
            assertThat(services).allSatisfy(s -> assertThat(s.getMetadata().getAnnotations() == null
                    ? Map.of() : s.getMetadata().getAnnotations())
                    .doesNotContainKeys(Contract.Annotations.CLEANUP_RUN, Contract.Annotations.CLEANUP_STARTED));
            assertThat(client.pods().inNamespace(NAMESPACE).withLabel(Contract.Labels.CLUSTER, CLUSTER).list()
                    .getItems()).hasSize(members).allMatch(ScalingSystemTest::podReady);
        });
    }

    /**
     * The ring as each member's Cassandra sees it: exactly that many nodes in system.local plus system.peers, all
     * live, nobody joining or leaving. (Gossip's unreachable list is not used: it keeps decommissioned nodes, which
     * are LEFT and own no token, for days.) Returns the ring's host IDs.
     */
    private Set<java.util.UUID> assertRing(int nodes) {
        Set<java.util.UUID> ring = new HashSet<>();
        try (CqlSession session = session()) {
            for (String member : members(nodes)) {
                String address = client.services().inNamespace(NAMESPACE).withName(member).get().getSpec()
                        .getClusterIP();
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                    JsonNode node = agent(member, Contract.AgentApi.NODE);
                    assertThat(node.path("liveNodes")).as(member + ": " + node).hasSize(nodes);
                    assertThat(node.path("joiningNodes")).as(node.toString()).isEmpty();
                    assertThat(node.path("leavingNodes")).as(node.toString()).isEmpty();
                    com.datastax.oss.driver.api.core.metadata.Node coordinator = session.getMetadata().getNodes()
                            .values().stream().filter(n -> n.getBroadcastRpcAddress()
                                    .map(a -> a.getAddress().getHostAddress().equals(address)).orElse(false))
                            .findFirst().orElseThrow(() -> new AssertionError("the driver does not know " + address));
                    Set<java.util.UUID> hostIds = new HashSet<>();
                    for (String table : List.of("system.local", "system.peers")) {
                        session.execute(SimpleStatement.newInstance("SELECT host_id FROM " + table)
                                .setNode(coordinator)).forEach(row -> hostIds.add(row.getUuid("host_id")));
                    }
                    assertThat(hostIds).as("the ring as " + member + " sees it").hasSize(nodes);
                    ring.addAll(hostIds);
                });
            }
        }
        assertThat(ring).hasSize(nodes);
        return ring;
    }

    private static int indexOf(List<Sample> samples, int from, java.util.function.Predicate<Sample> predicate) {
        for (int i = from; i < samples.size(); i++) {
            if (predicate.test(samples.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Each old member's last cleanup run, load before and after as Cassandra states it: ownership moved to the new
     * member, so cleanup must have dropped what the member no longer owns and its load went down.
     */
    private void reportCleanupLoads(List<String> members) throws Exception {
        for (String member : members) {
            JsonNode run = agent(member, Contract.AgentApi.CLEANUP);
            System.out.printf("MEASURED cleanup of %s: %s, load before %s (%s B), after %s (%s B)%n", member,
                    run.path("state").asText(), run.path("loadBefore").asText(), run.path("loadBytesBefore").asText(),
                    run.path("loadAfter").asText(), run.path("loadBytesAfter").asText());
            assertThat(run.path("state").asText()).as(member + ": " + run).isEqualTo("DONE");
            assertThat(run.path("loadBytesAfter").asLong()).as("load of " + member + " after its cleanup: " + run)
                    .isLessThan(run.path("loadBytesBefore").asLong());
        }
        assertThat(reasons()).contains(EventReason.CleanupFinished.name());
    }

    private Map<String, String> resourceVersions() {
        Map<String, String> versions = new TreeMap<>();
        Consumer<HasMetadata> add = o -> versions.put(o.getKind() + "/" + o.getMetadata().getName(),
                o.getMetadata().getResourceVersion());
        client.pods().inNamespace(NAMESPACE).withLabel(Contract.Labels.CLUSTER, CLUSTER).list().getItems().forEach(add);
        client.services().inNamespace(NAMESPACE).withLabel(Contract.Labels.CLUSTER, CLUSTER).list().getItems()
                .forEach(add);
        client.apps().statefulSets().inNamespace(NAMESPACE).withLabel(Contract.Labels.CLUSTER, CLUSTER).list()
                .getItems().forEach(add);
        client.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems().forEach(add);
        assertThat(versions.keySet()).anyMatch(k -> k.startsWith("PersistentVolumeClaim/"))
                .anyMatch(k -> k.startsWith("Pod/")).anyMatch(k -> k.startsWith("StatefulSet/"));
        return versions;
    }

    private void editCluster(Consumer<Cluster> change) {
        client.resources(Cluster.class).inNamespace(NAMESPACE).withName(CLUSTER).edit(c -> {
            change.accept(c);
            return c;
        });
    }

    private static io.cassandraoperator.api.RackSpec rack(Cluster cluster) {
        return cluster.getSpec().getDatacenter().getRacks().get(0);
    }

    private Cluster cluster() {
        return cluster(CLUSTER);
    }

    private Optional<Condition> condition(String type) {
        return cluster().getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private List<Event> events() {
        return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> CLUSTER.equals(e.getInvolvedObject().getName()))
                .sorted(Comparator.comparing(Event::getFirstTimestamp, Comparator.nullsFirst(Comparator.naturalOrder())))
                .toList();
    }

    private List<String> reasons() {
        return events().stream().map(Event::getReason).toList();
    }

    /** The reasons of the events whose message names that member (ordinal suffix checked, so -1 is not -10). */
    private List<String> reasonsFor(String member) {
        return events().stream().filter(e -> (e.getMessage() + " ").matches("(?s).*\\b" + member + "\\b[^-].*"))
                .map(Event::getReason).toList();
    }

    private List<Service> memberServices() {
        return client.services().inNamespace(NAMESPACE).withLabel(Contract.Labels.CLUSTER, CLUSTER).list().getItems()
                .stream().filter(s -> s.getSpec().getSelector() != null
                        && s.getSpec().getSelector().containsKey(Contract.Labels.POD_NAME))
                .sorted(Comparator.comparing(s -> s.getMetadata().getName())).toList();
    }

    private static String member(int ordinal) {
        return STATEFUL_SET + "-" + ordinal;
    }

    private static List<String> members(int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(member(i));
        }
        return names;
    }

    private static boolean podReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private String agentDecommissionState(String member) {
        try {
            return agent(member, Contract.AgentApi.DECOMMISSION).path("state").asText();
        } catch (AssertionError | IOException | InterruptedException e) {
            return "unreachable";
        }
    }

    /**
     * The nodes Cassandra itself reports as leaving, as member 0 (which never leaves) sees the ring; null when its agent
     * cannot be reached at this instant.
     */
    private Set<String> cassandraLeaving() {
        try {
            Set<String> leaving = new HashSet<>();
            agent(member(0), Contract.AgentApi.NODE).path("leavingNodes").forEach(n -> leaving.add(n.asText()));
            return leaving;
        } catch (AssertionError | IOException | InterruptedException e) {
            return null;
        }
    }

    /** GET on a member's agent at its pod IP; a failed request is an assertion failure, so a caller may retry it. */
    private JsonNode agent(String member, String path) throws IOException, InterruptedException {
        Pod pod = client.pods().inNamespace(NAMESPACE).withName(member).get();
        assertThat(pod).as(member).isNotNull();
        return agents.get(pod.getStatus().getPodIP(), path);
    }

    /** As the cluster's superuser, read from its Secret. */
    private CqlSession session() {
        return runtime.session(runtime.superuser(CLUSTER), contactPoints);
    }

    /**
     * The acknowledged ids that were not read, by hash lookups: AssertJ's containsAll scans the actual collection once
     * per expected element, which takes many minutes for the few hundred thousand rows a fast writer acknowledges.
     */
    private static Set<Integer> missing(Set<Integer> acknowledged, Set<Integer> read) {
        Set<Integer> missing = new HashSet<>(acknowledged);
        missing.removeAll(read);
        return missing;
    }
}
