package io.cassandraoperator.local.apiserver;

import io.cassandraoperator.local.network.LoopbackAddressPool;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A real kubectl against the local API server: discovery, get, apply, describe, label, patch, logs, delete. */
class KubectlTest {
    @TempDir
    static Path stateDir;
    static LocalApiServer server;
    static KubernetesClient client;
    static final PipedOutputStream followedWriter = new PipedOutputStream();
    static PipedInputStream followed;

    @BeforeAll
    static void start() throws IOException {
        followed = new PipedInputStream(followedWriter);
        server = LocalApiServer.start(stateDir, 0, LoopbackAddressPool.serviceAddresses());
        client = server.newClient();
        server.setPodLogSource((namespace, pod, container, tailLines, follow) -> {
            if (follow) {
                return followed;
            }
            List<String> lines = List.of("line 1 of " + namespace + "/" + pod + "/" + container, "line 2", "line 3");
            List<String> shown = tailLines == null ? lines : lines.subList(lines.size() - tailLines, lines.size());
            return new ByteArrayInputStream((String.join("\n", shown) + "\n").getBytes(StandardCharsets.UTF_8));
        });
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void discoveryServesVersionAndBuiltInAndCustomResources() throws Exception {
        assertThat(kubectl("version", "-o", "json")).contains("\"gitVersion\": \"v1.32.0-cassandra-local\"");
        String resources = kubectl("api-resources");
        assertThat(resources).contains("pods", "statefulsets", "persistentvolumeclaims", "nodes", "leases",
                "poddisruptionbudgets", "customresourcedefinitions");
        kubectl("apply", "-f", "../deploy/crds/clusters.cassandra.rook.io-v1.yml");
        assertThat(kubectl("api-resources", "--api-group=cassandra.rook.io")).contains("clusters");
    }

    @Test
    void clusterLifecycleThroughKubectl() throws Exception {
        kubectl("apply", "-f", "../deploy/crds/clusters.cassandra.rook.io-v1.yml");
        assertThat(kubectl("apply", "-f", "../examples/cluster.yaml")).contains("cluster.cassandra.rook.io/cassandra created");
        assertThat(kubectl("get", "clusters")).contains("cassandra");
        assertThat(kubectl("label", "cluster", "cassandra", "team=data")).contains("labeled");
        assertThat(kubectl("patch", "cluster", "cassandra", "--type=merge", "-p",
                "{\"spec\":{\"datacenter\":{\"replicationFactor\":3}}}")).contains("patched");
        String yaml = kubectl("get", "cluster", "cassandra", "-o", "yaml");
        assertThat(yaml).contains("team: data", "replicationFactor: 3", "generation: 2");
        assertThat(kubectl("apply", "-f", "../examples/cluster.yaml")).contains("unchanged");
        assertThat(kubectl("delete", "cluster", "cassandra")).contains("deleted");
        assertThat(kubectl("get", "clusters")).doesNotContain("cassandra");
    }

    @Test
    void builtInKindsApplyWithStrategicMergeAndDescribe() throws Exception {
        Path manifest = stateDir.resolve("web.yaml");
        Files.writeString(manifest, webManifest("\"2\""));
        assertThat(kubectl("apply", "-f", manifest.toString())).contains("service/web created",
                "statefulset.apps/web created");
        Files.writeString(manifest, webManifest("\"3\""));
        assertThat(kubectl("apply", "-f", manifest.toString())).contains("statefulset.apps/web configured");
        assertThat(kubectl("get", "sts", "web", "-o", "jsonpath={.spec.template.spec.containers[0].env[*].value}"))
                .isEqualTo("1 3");
        assertThat(kubectl("describe", "service", "web")).contains("IP:", "127.0.2.");
        assertThat(kubectl("scale", "statefulset", "web", "--replicas=2")).contains("scaled");
        assertThat(client.apps().statefulSets().withName("web").get().getSpec().getReplicas()).isEqualTo(2);
        assertThat(client.apps().statefulSets().withName("web").get().getSpec().getTemplate().getSpec()
                .getContainers().get(0).getEnv()).hasSize(2);
        kubectl("delete", "-f", manifest.toString());
        assertThat(kubectl("get", "sts,svc")).doesNotContain("web");
    }

    @Test
    void logsComeFromThePodLogSource() throws Exception {
        client.pods().resource(LocalApiServerTest.pod("logger", null)).create();
        client.pods().withName("logger").subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Running\"}}");
        assertThat(kubectl("logs", "logger")).isEqualTo("line 1 of default/logger/c\nline 2\nline 3\n");
        assertThat(kubectl("logs", "logger", "-c", "c", "--tail", "1")).isEqualTo("line 3\n");
    }

    @Test
    void tablesShowTheColumnsOfBuiltInKindsAndThePrinterColumnsOfCrds() throws Exception {
        kubectl("apply", "-f", "../deploy/crds/clusters.cassandra.rook.io-v1.yml");
        Path manifest = stateDir.resolve("table.yaml");
        Files.writeString(manifest, Files.readString(Path.of("../examples/cluster.yaml"))
                .replace("name: cassandra", "name: tabled"));
        kubectl("apply", "-f", manifest.toString());
        client.genericKubernetesResources("cassandra.rook.io/v1alpha1", "Cluster").withName("tabled")
                .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"members\":3,"
                        + "\"readyMembers\":3,\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}");
        String clusters = kubectl("get", "clusters", "tabled");
        assertThat(clusters.lines().findFirst().orElseThrow()).contains("DATACENTER", "VERSION", "READY", "MEMBERS");
        assertThat(clusters.lines().skip(1).findFirst().orElseThrow().split("\\s+"))
                .containsSubsequence("tabled", "dc1", "5.0.8", "True", "3", "3");

        client.pods().resource(LocalApiServerTest.pod("tabled-0", "node-2")).create();
        String pods = kubectl("get", "pod", "tabled-0", "-o", "wide");
        assertThat(pods).contains("READY", "STATUS", "NODE", "0/1", "Pending", "node-2");
    }

    @Test
    void followedLogsStreamUntilTheLogEnds() throws Exception {
        client.pods().resource(LocalApiServerTest.pod("follower", null)).create();
        followedWriter.write("first\n".getBytes(StandardCharsets.UTF_8));
        followedWriter.flush();
        Process process = new ProcessBuilder("kubectl", "--kubeconfig", server.kubeconfig().toString(), "logs", "-f",
                "follower").redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("first");
            assertThat(process.isAlive()).as("kubectl keeps following").isTrue();
            followedWriter.write("second\n".getBytes(StandardCharsets.UTF_8));
            followedWriter.flush();
            assertThat(out.readLine()).isEqualTo("second");
            followedWriter.close();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void describeShowsTheEventsOfTheObjectOnly() throws Exception {
        client.configMaps().resource(LocalApiServerTest.configMap("described", "v")).create();
        String uid = client.configMaps().withName("described").get().getMetadata().getUid();
        for (String[] e : new String[][] {{"described.1", "described", uid, "Refused", "version may not go down"},
                {"other.1", "other", "0000", "Other", "about something else"}}) {
            client.v1().events().resource(new io.fabric8.kubernetes.api.model.EventBuilder().withNewMetadata()
                    .withName(e[0]).endMetadata().withNewInvolvedObject().withApiVersion("v1").withKind("ConfigMap")
                    .withName(e[1]).withNamespace("default").withUid(e[2]).endInvolvedObject().withReason(e[3])
                    .withMessage(e[4]).withType("Warning").withCount(1).withFirstTimestamp("2026-01-01T00:00:00Z")
                    .withLastTimestamp("2026-01-01T00:00:00Z").build()).create();
        }
        String described = kubectl("describe", "configmap", "described");
        assertThat(described).contains("Refused", "version may not go down").doesNotContain("about something else");
    }

    @Test
    void getWatchPrintsChangesAsTheyHappen() throws Exception {
        client.configMaps().resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder(
                LocalApiServerTest.configMap("seen", "1")).editMetadata().addToLabels("watched", "yes")
                .endMetadata().build()).create();
        Process process = new ProcessBuilder("kubectl", "--kubeconfig", server.kubeconfig().toString(), "get",
                "configmaps", "-w", "-l", "watched=yes").redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)).lines().forEach(lines::add));
        reader.setDaemon(true);
        reader.start();
        try {
            assertThat(lines.poll(30, TimeUnit.SECONDS)).contains("NAME");
            assertThat(lines.poll(30, TimeUnit.SECONDS)).as("from the list").startsWith("seen ");
            // kubectl watches from the list's resourceVersion, so a change right after the list is not missed
            client.configMaps().resource(LocalApiServerTest.configMap("unseen", "1")).create();
            client.configMaps().withName("seen").edit(m -> new io.fabric8.kubernetes.api.model.ConfigMapBuilder(m)
                    .addToData("change", "1").build());
            assertThat(lines.poll(30, TimeUnit.SECONDS)).as("the change after the list").startsWith("seen ");
            assertThat(lines).as("nothing more yet").isEmpty();
            client.configMaps().withName("seen").delete();
            await().until(() -> client.configMaps().withName("seen").get() == null);
            List<String> rest = new ArrayList<>();
            await().until(() -> {
                lines.drainTo(rest);
                return !rest.isEmpty() && rest.get(rest.size() - 1).startsWith("seen ");
            });
            assertThat(rest).as("nothing about the ConfigMap the selector leaves out")
                    .noneMatch(l -> l.startsWith("unseen"));
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void explainPrintsTheDescriptionsOfTheCrdSchema() throws Exception {
        kubectl("apply", "-f", "../deploy/crds/clusters.cassandra.rook.io-v1.yml");
        String racks = kubectl("explain", "clusters.spec.datacenter.racks");
        assertThat(racks).contains("GROUP:      cassandra.rook.io", "KIND:       Cluster", "VERSION:    v1alpha1",
                "Racks of the datacenter; each is one StatefulSet.", "members\t<integer>",
                "Number of Cassandra members in this rack.", "ConfigMap with the Prometheus JMX exporter");
        assertThat(kubectl("explain", "clusters", "--recursive")).contains("replicationFactor");
    }

    @Test
    void explainShowsTheFieldsOfBuiltInKinds() throws Exception {
        // Fields and types from the fabric8 model classes, which carry no descriptions.
        assertThat(kubectl("explain", "pods.spec.containers")).contains("KIND:       Pod", "FIELDS:",
                "image\t<string>", "ports\t<[]Object>", "readinessProbe\t<Object>");
        assertThat(kubectl("explain", "statefulsets.spec")).contains("serviceName\t<string>",
                "volumeClaimTemplates\t<[]Object>");
    }

    @Test
    void explainFollowsCrdsAsTheyComeAndGo() throws Exception {
        String crd = """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: widgets.example.com}
                spec:
                  group: example.com
                  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
                  scope: Namespaced
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec:
                            type: object
                            description: What the widget should be.
                            properties:
                              size: {type: integer, description: How big the widget is.}
                """;
        Path file = Files.createTempFile(stateDir, "widget", ".yaml");
        Files.writeString(file, crd);
        kubectl("apply", "-f", file.toString());
        await().untilAsserted(() -> assertThat(kubectl("explain", "widgets.spec"))
                .contains("What the widget should be.", "How big the widget is."));
        kubectl("delete", "-f", file.toString());
        await().untilAsserted(() -> assertThat(kubectlFails("explain", "widgets.spec"))
                .doesNotContain("How big the widget is."));
    }

    @Test
    void applyWithValidationChecksTheExampleAgainstTheSchema() throws Exception {
        kubectl("apply", "-f", "../deploy/crds/clusters.cassandra.rook.io-v1.yml");
        assertThat(kubectl("apply", "--validate=true", "-f", "../examples/cluster.yaml"))
                .contains("cluster.cassandra.rook.io/cassandra created");
        kubectl("delete", "-f", "../examples/cluster.yaml");
        Path typo = Files.createTempFile(stateDir, "typo", ".yaml");
        Files.writeString(typo, Files.readString(Path.of("../examples/cluster.yaml"))
                .replace("mode: cassandra", "mde: cassandra"));
        assertThat(kubectlFails("apply", "--validate=true", "-f", typo.toString())).contains("mde");
    }

    private static String webManifest(String bValue) {
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  selector: {app: web}
                  ports: [{name: http, port: 80, targetPort: 8080}]
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: web}
                spec:
                  serviceName: web
                  replicas: 0
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - name: c
                        image: x:1
                        env: [{name: A, value: "1"}, {name: B, value: %s}]
                """.formatted(bValue);
    }

    static String kubectl(String... args) throws IOException, InterruptedException {
        return run(true, args);
    }

    static String kubectlFails(String... args) throws IOException, InterruptedException {
        return run(false, args);
    }

    private static String run(boolean succeeds, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", server.kubeconfig().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish");
        }
        assertThat(process.exitValue() == 0).as("kubectl %s succeeds:\n%s", String.join(" ", args), output)
                .isEqualTo(succeeds);
        return output;
    }
}
