package io.cassandraoperator.local.apiserver;

import io.cassandraoperator.local.network.LoopbackAddressPool;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The API behaviours the operator and the controllers rely on, pinned against the local API server. */
class LocalApiServerTest {
    static final Path CRD = Path.of("..", "deploy", "crds", "clusters.cassandra.rook.io-v1.yml");

    @TempDir
    Path stateDir;
    LocalApiServer server;
    KubernetesClient client;

    @BeforeEach
    void start() {
        // The Service range without the machine's listeners, so other runtimes running here do not shift the addresses.
        server = LocalApiServer.start(stateDir, 0, new LoopbackAddressPool(List.of("127.0.2.", "127.0.3."), Set::of));
        client = server.newClient();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void staleResourceVersionIsRefusedWith409() {
        ConfigMap created = client.configMaps().resource(configMap("cm", "a")).create();
        ConfigMap first = new ConfigMapBuilder(created).withData(Map.of("k", "b")).build();
        client.configMaps().resource(first).update();

        ConfigMap stale = new ConfigMapBuilder(created).withData(Map.of("k", "c")).build();
        assertThatThrownBy(() -> client.configMaps().resource(stale).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(client.configMaps().withName("cm").get().getData()).containsEntry("k", "b");
    }

    @Test
    void generationChangesOnSpecChangesOnly() {
        StatefulSet sts = client.apps().statefulSets().resource(statefulSet("web", 1)).create();
        assertThat(sts.getMetadata().getGeneration()).isEqualTo(1L);

        StatefulSet labelled = client.apps().statefulSets().withName("web")
                .edit(s -> new StatefulSetBuilder(s).editMetadata().addToLabels("x", "y").endMetadata().build());
        assertThat(labelled.getMetadata().getGeneration()).isEqualTo(1L);

        StatefulSet statusWritten = client.apps().statefulSets().withName("web").subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"replicas\":1}}");
        assertThat(statusWritten.getMetadata().getGeneration()).isEqualTo(1L);

        StatefulSet scaled = client.apps().statefulSets().withName("web")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":3}}");
        assertThat(scaled.getMetadata().getGeneration()).isEqualTo(2L);
        assertThat(scaled.getStatus().getReplicas()).isEqualTo(1);
    }

    @Test
    void statusIsASubresourceForBuiltInKindsAndCustomResources() throws Exception {
        client.pods().resource(pod("p", null)).create();
        client.pods().withName("p").subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Running\"},\"spec\":{\"nodeName\":\"n\"}}");
        Pod afterStatus = client.pods().withName("p").get();
        assertThat(afterStatus.getStatus().getPhase()).isEqualTo("Running");
        assertThat(afterStatus.getSpec().getNodeName()).as("a status write leaves the spec alone").isNull();

        client.pods().withName("p").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Failed\"}}");
        assertThat(client.pods().withName("p").get().getStatus().getPhase())
                .as("a write to the object leaves the status alone").isEqualTo("Running");

        createCrd();
        GenericKubernetesResource cluster = client.genericKubernetesResources("cassandra.rook.io/v1alpha1", "Cluster")
                .load(new FileInputStream(Path.of("..", "examples", "cluster.yaml").toFile())).item();
        cluster.setAdditionalProperty("status", Map.of("members", 7));
        client.genericKubernetesResources("cassandra.rook.io/v1alpha1", "Cluster").resource(cluster).create();
        GenericKubernetesResource stored = cr();
        assertThat(stored.getAdditionalProperties()).doesNotContainKey("status");
        client.genericKubernetesResources("cassandra.rook.io/v1alpha1", "Cluster").withName("cassandra")
                .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"members\":3}}");
        assertThat(cr().getAdditionalProperties().get("status")).isEqualTo(Map.of("members", 3));
        assertThat(cr().getMetadata().getGeneration()).isEqualTo(1L);
    }

    @Test
    void jsonPatchAndMergePatchApply() {
        client.configMaps().resource(configMap("cm", "a")).create();
        client.configMaps().withName("cm").patch(PatchContext.of(PatchType.JSON),
                "[{\"op\":\"add\",\"path\":\"/data/j\",\"value\":\"1\"}]");
        client.configMaps().withName("cm").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"data\":{\"k\":null,\"m\":\"2\"}}");
        assertThat(client.configMaps().withName("cm").get().getData()).isEqualTo(Map.of("j", "1", "m", "2"));
    }

    @Test
    void customResourcesAreValidatedAgainstTheCrdSchema() throws Exception {
        createCrd();
        GenericKubernetesResource cluster = client.genericKubernetesResources("cassandra.rook.io/v1alpha1", "Cluster")
                .load(new FileInputStream(Path.of("..", "examples", "cluster.yaml").toFile())).item();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) cluster.getAdditionalProperties().get("spec");
        spec.put("mode", "not-a-mode");
        assertThatThrownBy(() -> client.genericKubernetesResources("cassandra.rook.io/v1alpha1", "Cluster")
                .resource(cluster).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("spec.mode");
                });
    }

    @Test
    void serviceClusterIpsAreAllocatedAtCreation() {
        Service a = client.services().resource(service("a", null)).create();
        Service b = client.services().resource(service("b", null)).create();
        Service headless = client.services().resource(service("h", "None")).create();
        Service explicit = client.services().resource(service("e", "127.0.2.200")).create();

        assertThat(a.getSpec().getClusterIP()).isEqualTo("127.0.2.2");
        assertThat(b.getSpec().getClusterIP()).isEqualTo("127.0.2.3");
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(explicit.getSpec().getClusterIP()).isEqualTo("127.0.2.200");
        assertThatThrownBy(() -> client.services().resource(service("dup", "127.0.2.3")).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));

        // An update that leaves the IP out keeps it (the operator replaces whole objects).
        Service replaced = client.services().resource(new ServiceBuilder(service("a", null))
                .editMetadata().withResourceVersion(a.getMetadata().getResourceVersion()).endMetadata().build())
                .update();
        assertThat(replaced.getSpec().getClusterIP()).isEqualTo("127.0.2.2");

        client.services().withName("a").delete();
        await().until(() -> client.services().withName("a").get() == null);
        Service c = client.services().resource(service("c", null)).create();
        assertThat(c.getSpec().getClusterIP()).as("a freed address may be handed out again").isEqualTo("127.0.2.2");
        Service d = client.services().resource(service("d", null)).create();
        assertThat(d.getSpec().getClusterIP()).isEqualTo("127.0.2.4");
    }

    @Test
    void boundPodsAreDeletedGracefully() {
        client.pods().resource(pod("bound", "node-1")).create();
        client.pods().withName("bound").delete();
        Pod terminating = client.pods().withName("bound").get();
        assertThat(terminating).as("a pod on a node stays until its kubelet has stopped it").isNotNull();
        assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(terminating.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(45L);

        // The kubelet reports the stopped container: the pod must stay.
        client.pods().withName("bound").subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Running\"}}");
        assertThat(client.pods().withName("bound").get()).isNotNull();

        client.pods().withName("bound").withGracePeriod(0).delete();
        assertThat(client.pods().withName("bound").get()).isNull();

        client.pods().resource(pod("short", "node-1")).create();
        client.pods().withName("short").withGracePeriod(5).delete();
        assertThat(client.pods().withName("short").get().getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(5L);

        client.pods().resource(pod("unbound", null)).create();
        client.pods().withName("unbound").delete();
        assertThat(client.pods().withName("unbound").get()).as("a pod on no node goes at once").isNull();
    }

    @Test
    void finalizersHoldDeletionUntilRemoved() {
        client.configMaps().resource(new ConfigMapBuilder(configMap("f", "a")).editMetadata()
                .addToFinalizers("example.com/hold").endMetadata().build()).create();
        client.configMaps().withName("f").delete();
        ConfigMap held = client.configMaps().withName("f").get();
        assertThat(held.getMetadata().getDeletionTimestamp()).isNotNull();
        client.configMaps().withName("f").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"finalizers\":null}}");
        assertThat(client.configMaps().withName("f").get()).isNull();
    }

    @Test
    void deletePreconditionsOnUidAndResourceVersionRefuseAnotherObjectWith409() {
        ConfigMap first = client.configMaps().resource(configMap("p", "a")).create();
        client.configMaps().withName("p").withGracePeriod(0).delete();
        ConfigMap newer = client.configMaps().resource(configMap("p", "b")).create();
        String path = "/api/v1/namespaces/" + newer.getMetadata().getNamespace() + "/configmaps/p";

        KubernetesClientException staleUid = org.junit.jupiter.api.Assertions.assertThrows(KubernetesClientException.class,
                () -> client.raw(path, "DELETE", new io.fabric8.kubernetes.api.model.DeleteOptionsBuilder()
                        .withNewPreconditions().withUid(first.getMetadata().getUid()).endPreconditions().build()));
        assertThat(staleUid.getCode()).isEqualTo(409);
        assertThat(staleUid.getStatus().getReason()).isEqualTo("Conflict");
        assertThat(staleUid.getStatus().getMessage()).isEqualTo("Operation cannot be fulfilled on configmaps \"p\": Precondition failed: UID in precondition: "
                + first.getMetadata().getUid() + ", UID in object meta: " + newer.getMetadata().getUid());
        assertThat(client.configMaps().withName("p").get().getMetadata().getUid()).isEqualTo(newer.getMetadata().getUid());

        ConfigMap changed = client.configMaps().withName("p").edit(c -> new ConfigMapBuilder(c).addToData("k", "c").build());
        KubernetesClientException staleVersion = org.junit.jupiter.api.Assertions.assertThrows(KubernetesClientException.class,
                () -> client.configMaps().withName("p").lockResourceVersion(newer.getMetadata().getResourceVersion()).delete());
        assertThat(staleVersion.getCode()).isEqualTo(409);
        assertThat(staleVersion.getStatus().getMessage()).isEqualTo("Operation cannot be fulfilled on configmaps \"p\": Precondition failed: "
                + "ResourceVersion in precondition: " + newer.getMetadata().getResourceVersion() + ", ResourceVersion in object meta: "
                + changed.getMetadata().getResourceVersion());
        assertThat(client.configMaps().withName("p").get()).isNotNull();

        client.raw(path, "DELETE", new io.fabric8.kubernetes.api.model.DeleteOptionsBuilder().withNewPreconditions()
                .withUid(changed.getMetadata().getUid()).withResourceVersion(changed.getMetadata().getResourceVersion()).endPreconditions().build());
        assertThat(client.configMaps().withName("p").get()).as("both preconditions hold: deleted").isNull();
    }

    @Test
    void objectsAndClusterIpsSurviveARestart() throws Exception {
        createCrd();
        Service member = client.services().resource(service("member-0", null)).create();
        client.services().resource(service("member-1", null)).create();
        Secret secret = client.secrets().resource(new SecretBuilder().withNewMetadata().withName("s").endMetadata()
                .withStringData(Map.of("token", "t")).build()).create();
        client.genericKubernetesResources("cassandra.rook.io/v1alpha1", "Cluster")
                .load(new FileInputStream(Path.of("..", "examples", "cluster.yaml").toFile())).create();
        String clusterUid = cr().getMetadata().getUid();

        stop();
        start();

        Service restored = client.services().withName("member-0").get();
        assertThat(restored.getSpec().getClusterIP()).isEqualTo(member.getSpec().getClusterIP());
        assertThat(restored.getMetadata().getUid()).isEqualTo(member.getMetadata().getUid());
        assertThat(client.secrets().withName("s").get().getMetadata().getUid()).isEqualTo(secret.getMetadata().getUid());
        assertThat(cr().getMetadata().getUid()).isEqualTo(clusterUid);
        Service fresh = client.services().resource(service("member-2", null)).create();
        assertThat(fresh.getSpec().getClusterIP()).as("addresses in use stay taken after a restart")
                .isEqualTo("127.0.2.4");
        assertThat(Long.parseLong(fresh.getMetadata().getResourceVersion()))
                .isGreaterThan(Long.parseLong(restored.getMetadata().getResourceVersion()));
    }

    private GenericKubernetesResource cr() {
        return client.genericKubernetesResources("cassandra.rook.io/v1alpha1", "Cluster").withName("cassandra").get();
    }

    @Test
    void queryBooleansAreParsedAsTheApiServerParsesThem() throws Exception {
        client.configMaps().resource(configMap("before", "1")).create();
        KubeconfigHttp admin = KubeconfigHttp.of(server.kubeconfig());
        HttpClient http = admin.client();
        String configMaps = "/api/v1/namespaces/default/configmaps";
        HttpResponse<Stream<String>> watch = http.send(admin.request(configMaps + "?watch=True")
                .build(), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = watch.body()) {
            Iterator<String> events = lines.iterator();
            assertThat(events.next()).contains("\"ADDED\"", "\"before\"");
            client.configMaps().resource(configMap("after", "1")).create();
            assertThat(events.next()).contains("\"ADDED\"", "\"after\"");
        }
        HttpResponse<Stream<String>> yes = http.send(admin.request(configMaps + "?watch=yes")
                .build(), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = yes.body()) {
            assertThat(lines.iterator().next()).as("any value but 0 and false is true").contains("\"ADDED\"");
        }
        HttpResponse<String> refused = http.send(admin.request(configMaps + "?limit=ten")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("strconv.ParseInt: parsing \\\"ten\\\": invalid syntax");
        HttpResponse<String> list = http.send(admin.request(configMaps + "?watch=False").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("ConfigMapList", "\"before\"", "\"after\"");
    }

    @Test
    void aWatchFromAListsVersionGetsOnlyTheChangesAfterIt() throws Exception {
        client.configMaps().resource(configMap("listed", "1")).create();
        String listed = client.configMaps().list().getMetadata().getResourceVersion();
        client.configMaps().resource(configMap("between", "1")).create();
        client.configMaps().withName("listed").edit(cm -> new ConfigMapBuilder(cm).withData(Map.of("k", "2")).build());
        client.configMaps().withName("between").delete();
        KubeconfigHttp admin = KubeconfigHttp.of(server.kubeconfig());
        String configMaps = "/api/v1/namespaces/default/configmaps";
        HttpResponse<Stream<String>> watch = admin.client().send(admin.request(
                configMaps + "?watch=1&resourceVersion=" + listed).build(), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = watch.body()) {
            Iterator<String> events = lines.iterator();
            assertThat(events.next()).contains("\"ADDED\"", "\"between\"");
            assertThat(events.next()).contains("\"MODIFIED\"", "\"listed\"", "\"k\":\"2\"");
            String deleted = events.next();
            assertThat(deleted).contains("\"DELETED\"", "\"between\"");
            assertThat(Serialization.jsonMapper().readTree(deleted).at("/object/metadata/resourceVersion").asLong())
                    .as("a deletion has a version of its own").isGreaterThan(Long.parseLong(listed) + 2);
            client.configMaps().withName("listed").edit(cm -> new ConfigMapBuilder(cm).withData(Map.of("k", "3")).build());
            assertThat(events.next()).contains("\"MODIFIED\"", "\"k\":\"3\"");
        }
    }

    @Test
    void aWatchFromAVersionBeforeTheKeptChangesEndsWith410Expired() throws Exception {
        client.configMaps().resource(configMap("old", "1")).create();
        client.configMaps().resource(configMap("newer", "1")).create();
        stop();
        start();
        KubeconfigHttp admin = KubeconfigHttp.of(server.kubeconfig());
        String configMaps = "/api/v1/namespaces/default/configmaps";
        HttpResponse<String> expired = admin.client().send(admin.request(
                configMaps + "?watch=true&resourceVersion=1&timeoutSeconds=5").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(expired.body()).as("the changes before a restart are not kept")
                .contains("\"type\":\"ERROR\"", "\"code\":410", "\"reason\":\"Expired\"", "too old resource version: 1");
        CompletableFuture<WatcherException> closed = new CompletableFuture<>();
        try (Watch fabric8 = client.configMaps().withResourceVersion("1").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
            }

            @Override
            public void onClose(WatcherException cause) {
                closed.complete(cause);
            }
        })) {
            assertThat(closed.get(10, TimeUnit.SECONDS).isHttpGone()).as("fabric8 reads it as 410 Gone").isTrue();
        }
    }

    @Test
    void openApiV2CarriesEveryKindsSchemaAsJson() throws Exception {
        createCrd();
        // HTTP/1.1 as kubectl speaks it
        KubeconfigHttp admin = KubeconfigHttp.of(server.kubeconfig());
        HttpClient http = admin.client();
        HttpResponse<String> v2 = http.send(admin.request("/openapi/v2")
                .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(v2.statusCode()).isEqualTo(200);
        var definitions = Serialization.jsonMapper().readTree(v2.body()).path("definitions");
        assertThat(definitions.at("/io.rook.cassandra.v1alpha1.Cluster/properties/spec/properties/datacenter/description")
                .asText()).isEqualTo("The datacenter this cluster runs.");
        assertThat(definitions.at("/io.k8s.api.core.v1.Pod/x-kubernetes-group-version-kind/0/kind").asText())
                .isEqualTo("Pod");
        HttpResponse<String> protobuf = http.send(admin.request("/openapi/v2")
                .header("Accept", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(protobuf.statusCode()).as("client-go then reads the v3 documents").isEqualTo(406);
    }

    private void createCrd() throws Exception {
        CustomResourceDefinition crd = Serialization.unmarshal(new FileInputStream(CRD.toFile()),
                CustomResourceDefinition.class);
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }

    static ConfigMap configMap(String name, String value) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().withData(Map.of("k", value)).build();
    }

    static Pod pod(String name, String node) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName(node).withTerminationGracePeriodSeconds(45L)
                .addNewContainer().withName("c").withImage("x:1").endContainer().endSpec().build();
    }

    static Service service(String name, String clusterIp) {
        return new ServiceBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withClusterIP(clusterIp).withSelector(Map.of("app", name))
                .addNewPort().withPort(9042).endPort().endSpec().build();
    }

    static StatefulSet statefulSet(String name, int replicas) {
        return new StatefulSetBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas).withServiceName(name)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("x:1").endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    static List<String> names(List<? extends io.fabric8.kubernetes.api.model.HasMetadata> objects) {
        return objects.stream().map(o -> o.getMetadata().getName()).toList();
    }
}
