package io.cassandraoperator.operator;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.ClusterStatus;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.operator.model.AgentTokenSecret;
import io.cassandraoperator.operator.plan.DesiredStatus;
import io.cassandraoperator.operator.observe.ObservedCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;

/**
 * The operator in-process against the mock API, with the fake controllers and agents a cluster would have: a JUnit
 * extension (register it on a field with {@code @RegisterExtension}) that starts all of it before each test and
 * stops it after.
 */
final class OperatorHarness implements BeforeEachCallback, AfterEachCallback {
    static final String NAMESPACE = "test";
    MockApi api;
    FakeAgents agents;
    FakeControllers controllers;
    final AtomicInteger reconciles = new AtomicInteger();
    /** How long a deleted Cluster's cleanup may take; set before {@link #startOperator}. */
    Duration deletionCleanupLimit = Duration.ofMinutes(10);
    /** How often the operator was restarted after an informer stopped, as a kubelet restarts the exited pod. */
    final AtomicInteger restartsAfterInformerError = new AtomicInteger();
    private volatile ClusterOperator operator;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        api = new MockApi(true);
        agents = new FakeAgents(this::token);
        controllers = new FakeControllers(api.client, NAMESPACE, agents);
        agents.liveRing = this::readyMemberAddresses;
        startOperator();
    }

    synchronized void startOperator() {
        OperatorSettings settings = new OperatorSettings(Set.of(NAMESPACE), agents.port, Duration.ofMillis(200), Optional.empty(),
                deletionCleanupLimit);
        operator = new ClusterOperator(api.client, settings, new Metrics() {
            @Override
            public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
                reconciles.incrementAndGet();
            }
        }, this::restartAfterInformerError);
        operator.start();
    }

    /** On its own thread: the informer thread that reports the error is one the stop waits for. */
    private void restartAfterInformerError() {
        ClusterOperator stopped = operator;
        new Thread(() -> {
            synchronized (this) {
                if (operator == stopped && stopped != null) {
                    restartsAfterInformerError.incrementAndGet();
                    stopOperator();
                    startOperator();
                }
            }
        }, "operator-restart").start();
    }

    synchronized void stopOperator() {
        operator.close();
        operator = null;
        // A reconcile already running when the operator is closed still finishes and may write: a test that then
        // plays "what the stopped operator left" must not race it.
        try {
            int seen;
            do {
                seen = reconciles.get();
                Thread.sleep(2_000);
            } while (reconciles.get() != seen);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The ClusterIPs of the member Services whose pods are ready: what gossip holds UP once it caught up. */
    List<String> readyMemberAddresses() {
        return api.client.services().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(s -> s.getSpec().getClusterIP() != null && !"None".equals(s.getSpec().getClusterIP()))
                .filter(s -> {
                    Pod pod = api.client.pods().inNamespace(NAMESPACE).withName(s.getMetadata().getName()).get();
                    return ObservedCluster.ready(pod);
                })
                .map(s -> s.getSpec().getClusterIP()).toList();
    }

    Cluster create(Cluster cluster) {
        cluster.getMetadata().setUid(null);
        cluster.getMetadata().setGeneration(null);
        return api.client.resource(cluster).create();
    }

    /** A Cluster of this name in {@link #NAMESPACE} with these members per rack, created and awaited Ready. */
    Cluster createReady(String name, int... membersPerRack) {
        Cluster created = create(TestClusters.cluster(name, NAMESPACE, membersPerRack));
        awaitReady(name, Arrays.stream(membersPerRack).sum());
        return created;
    }

    Resource<Cluster> cluster(String name) {
        return api.client.resources(Cluster.class).inNamespace(NAMESPACE).withName(name);
    }

    void editSpec(String name, Consumer<Cluster> change) {
        cluster(name).edit(c -> {
            change.accept(c);
            return c;
        });
    }

    ClusterStatus status(String name) {
        return cluster(name).get().getStatus();
    }

    Optional<Condition> condition(String name, String type) {
        return DesiredStatus.condition(status(name), type);
    }

    boolean conditionIs(String cluster, String type, String status) {
        return condition(cluster, type).map(c -> status.equals(c.getStatus())).orElse(false);
    }

    void awaitReady(String name, int members) {
        awaitReadyWithin(name, members, Duration.ofSeconds(90));
    }

    void awaitReadyWithin(String name, int members, Duration limit) {
        try {
            await().atMost(limit).until(() -> {
                ClusterStatus status = status(name);
                return status != null && Integer.valueOf(members).equals(status.getReadyMembers())
                        && Integer.valueOf(members).equals(status.getMembers()) && conditionIs(name, "Ready", "True")
                        && conditionIs(name, "Progressing", "False");
            });
        } catch (ConditionTimeoutException e) {
            // The status the wait ended on says which condition held it back.
            throw new AssertionError("Cluster " + name + " not Ready with " + members + " members within " + limit
                    + "; its status:\n" + Serialization.asYaml(status(name)), e);
        }
    }

    StatefulSet statefulSet(String name) {
        return api.client.apps().statefulSets().inNamespace(NAMESPACE).withName(name).get();
    }

    int replicas(String statefulSet) {
        StatefulSet set = statefulSet(statefulSet);
        return set == null ? 0 : set.getSpec().getReplicas();
    }

    Service service(String name) {
        return api.client.services().inNamespace(NAMESPACE).withName(name).get();
    }

    List<Event> events(EventReason reason) {
        return api.client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> reason.name().equals(e.getReason())).toList();
    }

    private String token() {
        Secret secret = api.client.secrets().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(s -> s.getMetadata().getName().endsWith("-agent")).findFirst().orElse(null);
        return secret == null ? "" : AgentTokenSecret.token(secret);
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) throws Exception {
        if (operator != null) {
            stopOperator();
        }
        // Each may be missing when beforeEach failed part-way.
        for (AutoCloseable part : new AutoCloseable[]{controllers, agents, api}) {
            if (part != null) {
                part.close();
            }
        }
    }
}
