package io.cassandraoperator.local.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.local.ControlPlane;
import io.cassandraoperator.local.apiserver.admission.BadSpecCatalogue.Kind;
import io.cassandraoperator.operator.ClusterOperator;
import io.cassandraoperator.operator.OperatorSettings;
import io.cassandraoperator.operator.model.ClusterDisruptionBudget;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Every bad Cluster of the catalogue, sent as a change to a running, Ready cluster (control plane, the operator
 * in-process, pods made Ready by a stand-in kubelet): the API server refuses it with the catalogue's message, or the
 * operator refuses it in a Degraded condition; either way no Pod, Service, StatefulSet, PersistentVolumeClaim, ConfigMap
 * or Secret changes, through two more complete reconciles of that Cluster after the change (not a second or two of
 * waiting: a reconcile that would act on the bad spec has run, twice, when the children are compared).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadClusterChangesNothingTest {
    private static final Duration SETTLED = Duration.ofSeconds(2);
    private static final int RECONCILES_AFTER_CHANGE = 2;

    @TempDir
    static Path stateDir;
    private ControlPlane plane;
    private KubernetesClient client;
    private ClusterOperator operator;
    private SharedIndexInformer<Pod> readyKubelet;
    /** Base spec → the running cluster that has it; the bad changes are made to these. */
    private final Map<String, String> running = new ConcurrentHashMap<>();
    private final FinishedReconciles reconciles = new FinishedReconciles();

    @BeforeAll
    void startClusterAndOperator() throws Exception {
        plane = ControlPlane.start(stateDir, 0);
        client = plane.newClient();
        client.apiextensions().v1().customResourceDefinitions().load(BadSpecCatalogue.CRD.toFile()).create();
        // The operator watches Backups and Restores too: without their CRDs it would not start.
        for (String crd : new String[] {"backups.cassandra.rook.io-v1.yml", "restores.cassandra.rook.io-v1.yml"}) {
            client.apiextensions().v1().customResourceDefinitions()
                    .load(BadSpecCatalogue.CRD.resolveSibling(crd).toFile()).create();
        }
        readyKubelet = client.pods().inform(new ReadyOnceScheduled(client));
        operator = new ClusterOperator(plane.newClient(), OperatorSettings.fromEnvironment(Map.of()), reconciles);
        operator.start();
    }

    @AfterAll
    void stop() {
        if (operator != null) {
            operator.close();
        }
        if (readyKubelet != null) {
            readyKubelet.close();
        }
        if (client != null) {
            client.close();
        }
        if (plane != null) {
            plane.close();
        }
    }

    static Stream<BadSpecCatalogue> catalogue() {
        return BadSpecCatalogue.of(Kind.Cluster).stream();
    }

    static Stream<BadSpecCatalogue> backupsAndRestores() {
        return Stream.of(Kind.Backup, Kind.Restore).flatMap(kind -> BadSpecCatalogue.of(kind).stream());
    }

    /**
     * Every bad Backup and Restore of the catalogue, sent next to a running, Ready cluster (a Backup naming the
     * examples' Cluster {@code cassandra} names that one instead): the API server refuses it with the catalogue's
     * message, or the operator fails it with a condition that says so and none of the cluster's children changes
     * through two more complete reconciles of it.
     */
    @ParameterizedTest
    @MethodSource("backupsAndRestores")
    void aBadBackupOrRestoreIsRefusedAndNothingOfTheClusterChanges(BadSpecCatalogue bad) throws Exception {
        JsonNode example = BadSpecCatalogue.readYaml(BadSpecCatalogue.PROJECT_ROOT.resolve("examples/cluster.yaml"));
        String name = running.computeIfAbsent(example.path("spec").toString(), spec -> "target-" + running.size());
        readyCluster(example, name);
        Map<String, String> before = children(name);
        List<GenericKubernetesResource> created = new ArrayList<>();
        try {
            for (JsonNode first : new JsonNode[] {bad.needs(), bad.updateOf()}) {
                if (first != null) {
                    created.add(client.resource(retargeted(first, name)).create());
                }
            }
            GenericKubernetesResource document = retargeted(bad.document(), name);
            if (bad.updateOf() != null) {
                document.getMetadata().setResourceVersion(created.get(created.size() - 1).getMetadata().getResourceVersion());
            }
            if (bad.refusedByApi()) {
                assertThatThrownBy(() -> {
                    var resource = client.resource(document).fieldValidation(FieldValidateable.Validation.STRICT);
                    if (bad.updateOf() != null) {
                        resource.update();
                    } else {
                        resource.create();
                    }
                }).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getMessage()).contains(bad.expect());
                });
            } else {
                created.add(client.resource(document).fieldValidation(FieldValidateable.Validation.STRICT).create());
                await().atMost(Duration.ofSeconds(60)).until(() -> conditionMessages(document).stream().anyMatch(m -> m.contains(bad.expect())));
                // Only an accepted object reaches the operator; a refused write reaches nothing that could change.
                awaitReconciledAgain(name, RECONCILES_AFTER_CHANGE);
            }
            assertThat(children(name)).as("pods, Services, StatefulSets, claims, ConfigMaps and Secrets of %s", name).isEqualTo(before);
        } finally {
            for (GenericKubernetesResource object : created) {
                client.resource(object).withGracePeriod(0).delete();
            }
        }
    }

    /** A copy without namespace and resourceVersion; a Backup of the examples' Cluster names the running one. */
    private static GenericKubernetesResource retargeted(JsonNode document, String cluster) throws Exception {
        ObjectNode copy = (ObjectNode) document.deepCopy();
        ((ObjectNode) copy.get("metadata")).remove(List.of("namespace", "resourceVersion"));
        if ("Backup".equals(copy.path("kind").asText()) && "cassandra".equals(copy.path("spec").path("cluster").asText())) {
            ((ObjectNode) copy.get("spec")).put("cluster", cluster);
        }
        return Serialization.jsonMapper().treeToValue(copy, GenericKubernetesResource.class);
    }

    @SuppressWarnings("unchecked")
    private List<String> conditionMessages(GenericKubernetesResource document) {
        GenericKubernetesResource stored = client.resource(document).get();
        Object status = stored == null ? null : stored.getAdditionalProperties().get("status");
        Object conditions = status instanceof Map<?, ?> map ? map.get("conditions") : null;
        return conditions instanceof List<?> list ? list.stream().map(c -> String.valueOf(((Map<String, Object>) c).get("message"))).toList()
                : List.of();
    }

    @ParameterizedTest
    @MethodSource("catalogue")
    void refusedAndNothingChanges(BadSpecCatalogue bad) throws Exception {
        if (bad.createOnly()) {
            GenericKubernetesResource created = Serialization.jsonMapper().treeToValue(bad.document(), GenericKubernetesResource.class);
            created.getMetadata().setNamespace(null);
            assertThatThrownBy(() -> client.resource(created).fieldValidation(FieldValidateable.Validation.STRICT).create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(422);
                        assertThat(e.getStatus().getMessage()).contains(bad.expect());
                    });
            assertThat(client.resources(Cluster.class).withName(created.getMetadata().getName()).get()).isNull();
            assertThat(children(created.getMetadata().getName())).isEmpty();
            return;
        }
        JsonNode base = bad.updateOf() != null ? bad.updateOf()
                : BadSpecCatalogue.readYaml(BadSpecCatalogue.PROJECT_ROOT.resolve(
                        bad.document().path("spec").path("datacenter").path("racks").size() > 1
                                ? "examples/cluster-multirack.yaml" : "examples/cluster.yaml"));
        String name = running.computeIfAbsent(base.path("spec").toString(), spec -> "target-" + running.size());
        Cluster target = readyCluster(base, name);
        Map<String, String> before = children(name);

        GenericKubernetesResource changed = renamed(bad.document(), name, target.getMetadata().getResourceVersion());
        if (bad.refusedByApi()) {
            // Strict, as kubectl sends it by default.
            assertThatThrownBy(() -> client.resource(changed).fieldValidation(FieldValidateable.Validation.STRICT).update())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(422);
                        assertThat(e.getStatus().getMessage()).contains(bad.expect());
                    });
        } else {
            client.resource(changed).fieldValidation(FieldValidateable.Validation.STRICT).update();
            await().atMost(Duration.ofSeconds(60)).until(() -> degradedMessage(name).contains(bad.expect()));
        }
        awaitReconciledAgain(name, RECONCILES_AFTER_CHANGE);
        assertThat(children(name)).as("pods, Services, StatefulSets, claims, ConfigMaps and Secrets of %s", name).isEqualTo(before);
    }

    /**
     * Makes the operator reconcile the Cluster {@code times} more times, each to its end: a label on its
     * PodDisruptionBudget (an owned child the comparison leaves out) changes, which reaches the reconciler as any event
     * or resync would.
     */
    private void awaitReconciledAgain(String name, int times) {
        for (int i = 0; i < times; i++) {
            long finished = reconciles.of(name);
            String poke = Long.toString(System.nanoTime());
            client.policy().v1().podDisruptionBudget().withName(name + ClusterDisruptionBudget.SUFFIX)
                    .edit(pdb -> {
                        pdb.getMetadata().getLabels().put("test/reconcile", poke);
                        return pdb;
                    });
            await().atMost(Duration.ofSeconds(60)).until(() -> reconciles.of(name) > finished);
        }
    }

    private static GenericKubernetesResource renamed(JsonNode document, String name, String resourceVersion) throws Exception {
        ObjectNode copy = (ObjectNode) document.deepCopy();
        ObjectNode metadata = (ObjectNode) copy.get("metadata");
        metadata.put("name", name).remove("namespace");
        if (resourceVersion != null) {
            metadata.put("resourceVersion", resourceVersion);
        }
        return Serialization.jsonMapper().treeToValue(copy, GenericKubernetesResource.class);
    }

    /** The cluster named {@code name} with the base spec (created, or set back after an accepted bad change), Ready and settled. */
    private Cluster readyCluster(JsonNode base, String name) throws Exception {
        Cluster existing = client.resources(Cluster.class).withName(name).get();
        if (existing == null) {
            client.resource(renamed(base, name, null)).create();
        } else if (!Serialization.jsonMapper().valueToTree(existing.getSpec()).equals(base.get("spec"))) {
            client.resource(renamed(base, name, existing.getMetadata().getResourceVersion())).update();
        }
        await().atMost(Duration.ofMinutes(3)).until(() -> {
            Cluster c = client.resources(Cluster.class).withName(name).get();
            return c.getStatus() != null && c.getStatus().getConditions().stream()
                    .anyMatch(x -> "Ready".equals(x.getType()) && "True".equals(x.getStatus()))
                    && degradedMessage(name).isEmpty();
        });
        Map<String, String>[] last = new Map[] {children(name)};
        await().atMost(Duration.ofMinutes(2)).pollInterval(SETTLED).until(() -> {
            Map<String, String> now = children(name);
            boolean settled = now.equals(last[0]);
            last[0] = now;
            return settled;
        });
        return client.resources(Cluster.class).withName(name).get();
    }

    private String degradedMessage(String name) {
        Cluster cluster = client.resources(Cluster.class).withName(name).get();
        if (cluster.getStatus() == null) {
            return "";
        }
        return cluster.getStatus().getConditions().stream().filter(c -> "Degraded".equals(c.getType()) && "True".equals(c.getStatus()))
                .map(Condition::getMessage).findFirst().orElse("");
    }

    /** Kind/name → resourceVersion of every Pod, Service, StatefulSet, claim, ConfigMap and Secret of the cluster. */
    private Map<String, String> children(String cluster) {
        Map<String, String> versions = new TreeMap<>();
        Map<String, String> selector = Map.of(Contract.Labels.CLUSTER, cluster);
        Stream.of(client.pods().withLabels(selector).list().getItems(), client.services().withLabels(selector).list().getItems(),
                        client.apps().statefulSets().withLabels(selector).list().getItems(),
                        client.persistentVolumeClaims().withLabels(selector).list().getItems(),
                        client.configMaps().withLabels(selector).list().getItems(),
                        client.secrets().withLabels(selector).list().getItems())
                .flatMap(List::stream)
                .forEach(o -> versions.put(((HasMetadata) o).getKind() + "/" + ((HasMetadata) o).getMetadata().getName(),
                        ((HasMetadata) o).getMetadata().getResourceVersion()));
        return versions;
    }

    /** JOSDK's metrics hook, used to count the reconciles of each Cluster that ran to their end. */
    private static final class FinishedReconciles implements Metrics {
        private final Map<String, AtomicLong> finished = new ConcurrentHashMap<>();

        long of(String name) {
            return finished.getOrDefault(name, new AtomicLong()).get();
        }

        @Override
        public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
            finished.computeIfAbsent(resource.getMetadata().getName(), n -> new AtomicLong()).incrementAndGet();
        }
    }

    /** The part of a kubelet this test needs: a scheduled pod is Running and Ready. */
    private static final class ReadyOnceScheduled implements ResourceEventHandler<Pod> {
        private final KubernetesClient client;
        private final Map<String, String> addresses = new ConcurrentHashMap<>();
        private int next = 1;

        ReadyOnceScheduled(KubernetesClient client) {
            this.client = client;
        }

        @Override
        public void onAdd(Pod pod) {
            onUpdate(null, pod);
        }

        @Override
        public synchronized void onUpdate(Pod old, Pod pod) {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                client.pods().withName(pod.getMetadata().getName()).withGracePeriod(0).delete();
                return;
            }
            boolean ready = pod.getStatus() != null && pod.getStatus().getConditions().stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            // Checked on every update, not once: the scheduler's own status write can replace the conditions.
            if (pod.getSpec().getNodeName() == null || ready) {
                return;
            }
            // Addresses only written into status: nothing listens on them. A merge patch without resourceVersion
            // cannot conflict with the controllers' own writes.
            String ip = addresses.computeIfAbsent(pod.getMetadata().getUid(), uid -> "127.0.9." + next++);
            client.pods().withName(pod.getMetadata().getName()).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"status\":{\"phase\":\"Running\",\"podIP\":\"" + ip + "\",\"hostIP\":\"127.0.0.1\","
                            + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}");
        }

        @Override
        public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
            addresses.remove(pod.getMetadata().getUid());
        }
    }
}
