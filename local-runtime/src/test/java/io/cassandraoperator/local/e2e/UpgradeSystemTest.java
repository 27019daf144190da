package io.cassandraoperator.local.e2e;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.local.cli.CliProcess;
import io.cassandraoperator.local.cli.SuperuserLogin;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Day-2 changes end to end (#20), real Cassandra, RF=3 on 3 members, one cluster shared by the ordered steps, a client
 * writing and reading at QUORUM with idempotent statements throughout each step: an upgrade 5.0.6 to 5.0.8 (two
 * classpaths of the image catalogue), then a changed setting in the rack's ConfigMap. Each rolls the rack one member at
 * a time with its reason in a RollingRestart Event, fails no QUORUM request, and loses no row.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpgradeSystemTest extends EndToEndTest {
    /** Not the example's name: Cassandra gossips with any node of the same cluster name on this machine. */
    private static final String CLUSTER = "upgrade";
    private static final String CONFIG_MAP = "upgrade-config";
    private static final String STATEFUL_SET = CLUSTER + "-dc1-rack1";
    private static final Duration ROLL = Duration.ofMinutes(8);

    private KubernetesClient client;
    private SuperuserLogin superuser;
    private List<InetSocketAddress> contactPoints;
    private final Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();

    UpgradeSystemTest() throws IOException {
        super(LocalRuntimeFixture.of("upgrade"));
    }

    @BeforeAll
    void upOnTheOlderVersionWithARackConfigMap() throws Exception {
        String example = Files.readString(CliProcess.PROJECT.resolve("examples/cluster.yaml"));
        assertThat(example).contains("  name: cassandra\n", "  version: 5.0.8\n", "      - name: rack1\n        members: 3\n");
        String configMap = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: %s
                  namespace: %s
                data:
                  cassandra.yaml: |
                    concurrent_reads: 32
                ---
                """.formatted(CONFIG_MAP, NAMESPACE);
        Path manifest = Files.createTempFile("upgrade-", ".yaml");
        Files.writeString(manifest, configMap + example.replace("  name: cassandra\n", "  name: " + CLUSTER + "\n")
                .replace("  version: 5.0.8\n", "  version: 5.0.6\n")
                .replace("      - name: rack1\n", "      - name: rack1\n        configMapName: " + CONFIG_MAP + "\n"));
        CliProcess.Result up = runtime.up(manifest);
        Files.delete(manifest);
        assertThat(up.exitCode()).as(up.output()).isZero();
        client = runtime.client();
        contactPoints = runtime.contactPoints(cluster(CLUSTER));
        superuser = runtime.superuser(CLUSTER);
        try (CqlSession session = session()) {
            RowsTable.create(session);
            RowsTable.write(session, 2_000);
            for (int id = 0; id < 2_000; id++) {
                acknowledged.add(id);
            }
            assertThat(perNode(session, "SELECT release_version FROM system.local", row -> row.getString("release_version")))
                    .hasSize(3).allSatisfy((node, version) -> assertThat(version).isEqualTo("5.0.6"));
        }
    }

    @Test
    @Order(1)
    void anUpgradeTo508RollsEveryMemberWithoutAFailedQuorumRequest() throws Exception {
        try (CqlSession session = session(); QuorumClient traffic = new QuorumClient(session, acknowledged, 2_000)) {
            await().atMost(Duration.ofMinutes(1)).until(() -> traffic.succeeded.get() >= 200);
            editCluster(c -> c.getSpec().setVersion("5.0.8"));
            awaitRolledOut(pod -> pod.getSpec().getContainers().get(0).getImage().endsWith(":5.0.8"));
            traffic.close();
            System.out.printf("MEASURED upgrade 5.0.6 -> 5.0.8: %d QUORUM requests succeeded, %d failed (last: %s)%n",
                    traffic.succeeded.get(), traffic.failures.get(), traffic.lastFailure.get());
            assertThat(traffic.failures.get()).as("failed QUORUM requests during the upgrade; last: " + traffic.lastFailure.get())
                    .isZero();

            assertThat(perNode(session, "SELECT release_version FROM system.local", row -> row.getString("release_version")))
                    .hasSize(3).allSatisfy((node, version) -> assertThat(version).as(node).isEqualTo("5.0.8"));
            assertThat(RowsTable.readIds(session, ConsistencyLevel.ALL)).containsAll(acknowledged);
        }
        assertThat(events(EventReason.RollingRestart)).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains(STATEFUL_SET, "reason Version", ":5.0.6 to ", ":5.0.8"));
    }

    @Test
    @Order(2)
    void aChangedSettingInTheRacksConfigMapRollsTheRackAndCassandraRunsWithIt() throws Exception {
        try (CqlSession session = session(); QuorumClient traffic = new QuorumClient(session, acknowledged, 1_000_000)) {
            await().atMost(Duration.ofMinutes(1)).until(() -> traffic.succeeded.get() >= 200);
            String before = templateConfigHash();
            client.configMaps().inNamespace(NAMESPACE).withName(CONFIG_MAP).edit(c -> new ConfigMapBuilder(c)
                    .addToData(Contract.UserConfig.CASSANDRA_YAML, "concurrent_reads: 48\n").build());
            await().atMost(Duration.ofMinutes(1)).until(() -> !before.equals(templateConfigHash()));
            Long generation = client.apps().statefulSets().inNamespace(NAMESPACE).withName(STATEFUL_SET).get()
                    .getMetadata().getGeneration();
            awaitRolledOut(pod -> true);
            traffic.close();
            System.out.printf("MEASURED ConfigMap roll (generation %s): %d QUORUM requests succeeded, %d failed (last: %s)%n",
                    generation, traffic.succeeded.get(), traffic.failures.get(), traffic.lastFailure.get());
            assertThat(traffic.failures.get()).as("failed QUORUM requests during the ConfigMap roll; last: " + traffic.lastFailure.get())
                    .isZero();

            assertThat(perNode(session, "SELECT value FROM system_views.settings WHERE name = 'concurrent_reads'",
                    row -> row.getString("value"))).hasSize(3).allSatisfy((node, value) -> assertThat(value).as(node).isEqualTo("48"));
            assertThat(RowsTable.readIds(session, ConsistencyLevel.ALL)).containsAll(acknowledged);
        }
        assertThat(events(EventReason.RollingRestart)).hasSize(2)
                .anySatisfy(e -> assertThat(e.getMessage()).contains(STATEFUL_SET, "reason Configuration"));
    }

    /** Every pod of the rack on the StatefulSet's newest revision, matching, ready, and the Cluster Ready. */
    private void awaitRolledOut(java.util.function.Predicate<Pod> rolled) {
        await().atMost(ROLL).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            StatefulSet set = client.apps().statefulSets().inNamespace(NAMESPACE).withName(STATEFUL_SET).get();
            assertThat(set.getStatus().getObservedGeneration()).isEqualTo(set.getMetadata().getGeneration());
            assertThat(set.getStatus().getUpdateRevision()).isEqualTo(set.getStatus().getCurrentRevision());
            List<Pod> pods = client.pods().inNamespace(NAMESPACE).withLabel(Contract.Labels.CLUSTER, CLUSTER).list().getItems();
            assertThat(pods).hasSize(3).allSatisfy(pod -> {
                assertThat(pod.getMetadata().getLabels()).containsEntry(Contract.Labels.REVISION, set.getStatus().getUpdateRevision());
                assertThat(rolled.test(pod)).as(pod.getMetadata().getName()).isTrue();
                assertThat(pod.getStatus().getConditions()).anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            });
            Cluster cluster = cluster(CLUSTER);
            assertThat(cluster.getStatus().getReadyMembers()).isEqualTo(3);
            assertThat(cluster.getStatus().getConditions()).anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        });
    }

    private String templateConfigHash() {
        return client.apps().statefulSets().inNamespace(NAMESPACE).withName(STATEFUL_SET).get().getSpec().getTemplate()
                .getMetadata().getAnnotations().get(Contract.Annotations.CONFIG_HASH);
    }

    /** One query sent to each node as coordinator (its own system tables), answer by node address. */
    private static Map<String, String> perNode(CqlSession session, String query, java.util.function.Function<Row, String> value) {
        Map<String, String> answers = new TreeMap<>();
        // Right after a roll the driver may not have reconnected to the last restarted node yet (it backs off).
        await().atMost(Duration.ofMinutes(1)).ignoreExceptionsInstanceOf(AllNodesFailedException.class).untilAsserted(() -> {
            for (Node node : session.getMetadata().getNodes().values()) {
                Row row = session.execute(SimpleStatement.newInstance(query).setNode(node)).one();
                assertThat(row).as(query + " on " + node).isNotNull();
                answers.put(node.getEndPoint().toString(), value.apply(row));
            }
            assertThat(answers).hasSize(3);
        });
        return answers;
    }

    private CqlSession session() {
        return runtime.session(superuser, contactPoints);
    }

    private List<Event> events(EventReason reason) {
        return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> CLUSTER.equals(e.getInvolvedObject().getName()) && reason.name().equals(e.getReason()))
                .toList();
    }

    private void editCluster(Consumer<Cluster> change) {
        client.resources(Cluster.class).inNamespace(NAMESPACE).withName(CLUSTER).edit(c -> {
            change.accept(c);
            return c;
        });
    }

    /**
     * A client that writes a new row and reads an acknowledged one, both at QUORUM and idempotent (the driver may send
     * them to another coordinator), a few in flight (the machine is shared), until closed; counts what failed.
     */
    private static final class QuorumClient implements AutoCloseable {
        private static final int IN_FLIGHT = 4;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger succeeded = new AtomicInteger();
        private final AtomicInteger failures = new AtomicInteger();
        private final AtomicReference<String> lastFailure = new AtomicReference<>();
        private final Thread thread;

        QuorumClient(CqlSession session, Set<Integer> acknowledged, int firstId) {
            PreparedStatement insert = RowsTable.prepareInsert(session);
            PreparedStatement select = session.prepare("SELECT value FROM e2e.rows WHERE id = ?");
            Semaphore inFlight = new Semaphore(IN_FLIGHT);
            thread = new Thread(() -> {
                for (int id = firstId; running.get(); id++) {
                    int row = id;
                    inFlight.acquireUninterruptibly();
                    session.executeAsync(insert.bind(row, "value-" + row).setConsistencyLevel(ConsistencyLevel.QUORUM).setIdempotent(true))
                            .whenComplete((result, error) -> {
                                count(error);
                                if (error == null) {
                                    acknowledged.add(row);
                                }
                                inFlight.release();
                            });
                    int earlier = row - firstId > 0 ? firstId + (int) Math.floorMod((long) row * 7919, (long) (row - firstId)) : row;
                    if (earlier != row && acknowledged.contains(earlier)) {
                        inFlight.acquireUninterruptibly();
                        session.executeAsync(select.bind(earlier).setConsistencyLevel(ConsistencyLevel.QUORUM).setIdempotent(true))
                                .whenComplete((result, error) -> {
                                    if (error == null && !("value-" + earlier).equals(result.one().getString("value"))) {
                                        failures.incrementAndGet();
                                        lastFailure.set("row " + earlier + " read back wrong at QUORUM");
                                    } else {
                                        count(error);
                                    }
                                    inFlight.release();
                                });
                    }
                }
                inFlight.acquireUninterruptibly(IN_FLIGHT);
            }, "quorum-client");
            thread.start();
        }

        private void count(Throwable error) {
            if (error == null) {
                succeeded.incrementAndGet();
            } else {
                failures.incrementAndGet();
                lastFailure.set(error.toString());
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(Duration.ofMinutes(2).toMillis());
        }
    }
}
