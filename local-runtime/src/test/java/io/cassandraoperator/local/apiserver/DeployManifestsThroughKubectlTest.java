package io.cassandraoperator.local.apiserver;

import io.cassandraoperator.local.apiserver.admission.BadSpecCatalogue;
import io.cassandraoperator.local.network.LoopbackAddressPool;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user installs with {@code kubectl apply -k deploy/}: the kustomize output of the base and of the cluster-wide
 * overlay, applied by real kubectl to the local API, then read back. Catches manifests kubectl or an API server would
 * refuse (unknown kinds, bad fields) and RBAC rules that lost a verb the operator needs; and the README's commands for
 * a real cluster, as written.
 */
class DeployManifestsThroughKubectlTest {
    private static final Path DEPLOY = BadSpecCatalogue.PROJECT_ROOT.resolve("deploy");

    @TempDir
    Path stateDir;
    private LocalApiServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        server = LocalApiServer.start(stateDir, 0, LoopbackAddressPool.serviceAddresses());
        client = server.newClient();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void theNamespacedInstallApplies() throws Exception {
        Result applied = apply(DEPLOY);
        assertThat(applied.exitCode()).as(applied.output()).isZero();
        assertThat(applied.output()).contains("customresourcedefinition.apiextensions.k8s.io/clusters.cassandra.rook.io",
                "role.rbac.authorization.k8s.io/cassandra-operator", "deployment.apps/cassandra-operator");

        Deployment deployment = client.apps().deployments().inNamespace("cassandra-operator").withName("cassandra-operator").get();
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("cassandra-operator");
        assertThat(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        Role role = client.rbac().roles().inNamespace("cassandra-operator").withName("cassandra-operator").get();
        assertThat(verbs(role.getRules(), "", "secrets")).containsExactlyInAnyOrder("get", "list", "watch", "create", "update", "patch", "delete");
        assertThat(verbs(role.getRules(), "coordination.k8s.io", "leases")).contains("get", "create", "update", "patch");
        assertThat(verbs(role.getRules(), "apps", "statefulsets")).contains("create", "update", "delete");
        assertThat(client.rbac().roleBindings().inNamespace("cassandra-operator").withName("cassandra-operator").get()
                .getRoleRef().getKind()).isEqualTo("Role");
        assertThat(client.rbac().clusterRoles().withName("cassandra-operator-read-nodes").get().getRules())
                .as("read-only: Nodes, PersistentVolumes, StorageClasses").hasSize(2)
                .allSatisfy(rule -> assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch"));
        assertThat(client.apiextensions().v1().customResourceDefinitions().withName("clusters.cassandra.rook.io").get()
                .getSpec().getGroup()).isEqualTo("cassandra.rook.io");
        assertThat(client.serviceAccounts().inNamespace("cassandra-operator").withName("cassandra-operator").get()).isNotNull();

        Result again = apply(DEPLOY);
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).as("a second apply changes nothing").doesNotContain("configured").doesNotContain("created");
    }

    @Test
    void theClusterWideInstallApplies() throws Exception {
        Result applied = apply(DEPLOY.resolve("overlays/cluster-wide"));
        assertThat(applied.exitCode()).as(applied.output()).isZero();

        ClusterRole role = client.rbac().clusterRoles().withName("cassandra-operator").get();
        assertThat(verbs(role.getRules(), "", "secrets")).containsExactlyInAnyOrder("get", "list", "watch", "create", "update", "patch", "delete");
        assertThat(verbs(role.getRules(), "cassandra.rook.io", "clusters")).contains("get", "list", "watch");
        ClusterRoleBinding binding = client.rbac().clusterRoleBindings().withName("cassandra-operator").get();
        assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getName()).isEqualTo("cassandra-operator");
            assertThat(subject.getNamespace()).isEqualTo("cassandra-operator");
        });
        assertThat(client.rbac().roles().inNamespace("cassandra-operator").withName("cassandra-operator").get())
                .as("no namespaced Role in the cluster-wide install").isNull();
        Deployment deployment = client.apps().deployments().inNamespace("cassandra-operator").withName("cassandra-operator").get();
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anySatisfy(env -> {
                    assertThat(env.getName()).isEqualTo("WATCH_NAMESPACES");
                    assertThat(env.getValue()).isNullOrEmpty();
                });
        assertThat(client.apiextensions().v1().customResourceDefinitions().withName("clusters.cassandra.rook.io").get()).isNotNull();
    }

    /**
     * The README's "Install on a real Kubernetes cluster" commands, read from the README and run as written (in the
     * project directory, without kubelet or operator): each succeeds, and the Cluster lands in the namespace the
     * operator's Deployment watches.
     */
    @Test
    void theReadmesRealClusterCommandsSucceedAsWritten() throws Exception {
        List<String> commands = readmeCommands();
        assertThat(commands).containsExactly("kubectl apply -k deploy/",
                "kubectl apply -n cassandra-operator -f examples/cluster.yaml");
        for (String command : commands) {
            List<String> args = new ArrayList<>(Arrays.asList(command.split(" +")));
            args.addAll(1, List.of("--kubeconfig", server.kubeconfig().toString()));
            Result result = run(args, null, BadSpecCatalogue.PROJECT_ROOT);
            assertThat(result.exitCode()).as("%s:%n%s", command, result.output()).isZero();
        }
        assertThat(client.genericKubernetesResources("cassandra.rook.io/v1alpha1", "Cluster")
                .inNamespace("cassandra-operator").withName("cassandra").get())
                .as("the example's Cluster in the operator's namespace").isNotNull();
        EnvVar watched = client.apps().deployments().inNamespace("cassandra-operator").withName("cassandra-operator")
                .get().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("WATCH_NAMESPACES")).findFirst().orElseThrow();
        assertThat(watched.getValueFrom().getFieldRef().getFieldPath())
                .as("the operator watches its own namespace, where the Cluster is").isEqualTo("metadata.namespace");
    }

    /** The commands of the first sh block under "## Install on a real Kubernetes cluster", comments left out. */
    private static List<String> readmeCommands() throws IOException {
        List<String> lines = Files.readAllLines(BadSpecCatalogue.PROJECT_ROOT.resolve("README.md"));
        int section = lines.indexOf("## Install on a real Kubernetes cluster");
        assertThat(section).as("the README's real-cluster section").isNotNegative();
        int start = lines.subList(section, lines.size()).indexOf("```sh") + section + 1;
        int end = lines.subList(start, lines.size()).indexOf("```") + start;
        return lines.subList(start, end).stream().map(l -> l.replaceAll("#.*", "").trim())
                .filter(l -> !l.isEmpty()).toList();
    }

    private static List<String> verbs(List<PolicyRule> rules, String group, String resource) {
        return rules.stream().filter(rule -> rule.getApiGroups().contains(group) && rule.getResources().contains(resource))
                .flatMap(rule -> rule.getVerbs().stream()).toList();
    }

    /** {@code kubectl kustomize DIR | kubectl apply -f -}, as the README's {@code kubectl apply -k} does. */
    private Result apply(Path kustomization) throws Exception {
        Result built = run(List.of("kubectl", "kustomize", kustomization.toString()), null, null);
        assertThat(built.exitCode()).as(built.output()).isZero();
        return run(List.of("kubectl", "--kubeconfig", server.kubeconfig().toString(), "apply", "-f", "-"), built.output(),
                null);
    }

    record Result(int exitCode, String output) {
    }

    /** @param directory where it runs, null for this one */
    private static Result run(List<String> command, String input, Path directory) throws Exception {
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                .directory(directory == null ? null : directory.toFile()).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try (var stdin = process.getOutputStream()) {
            if (input != null) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        return new Result(process.exitValue(), output.get(10, TimeUnit.SECONDS));
    }
}
