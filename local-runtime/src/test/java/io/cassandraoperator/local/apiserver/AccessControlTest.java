package io.cassandraoperator.local.apiserver;

import io.cassandraoperator.local.network.LoopbackAddressPool;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Authentication and RBAC on the local API server, as kube-apiserver answers: the admin kubeconfig is
 * {@code system:masters}; a ServiceAccount's token gets exactly what Roles, ClusterRoles and their bindings grant
 * (verbs, groups, resources and subresources, names, namespace or cluster scope), a 403 with the real message
 * otherwise; no token or an unknown one gets 401. {@code SelfSubjectAccessReview} and {@code kubectl auth can-i}
 * answer from the same rules.
 */
class AccessControlTest {
    private static final String ROBOT = "system:serviceaccount:apps:robot";

    @TempDir
    Path stateDir;
    LocalApiServer server;
    KubernetesClient admin;
    final List<KubernetesClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        server = LocalApiServer.start(stateDir, 0, new LoopbackAddressPool(List.of("127.0.2.", "127.0.3."), Set::of));
        admin = server.newClient();
        for (String namespace : List.of("default", "apps", "other")) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                    .build()).create();
        }
        admin.serviceAccounts().inNamespace("apps").resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("robot").endMetadata().build()).create();
    }

    @AfterEach
    void stop() {
        clients.forEach(KubernetesClient::close);
        admin.close();
        server.close();
    }

    @Test
    void requestsWithoutATokenOrWithAnUnknownOneGet401WithAStatus() throws Exception {
        KubeconfigHttp http = KubeconfigHttp.of(server.kubeconfig());
        HttpResponse<String> none = http.client().send(http.anonymous("/api/v1/namespaces/default/pods").build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> unknown = http.client().send(http.anonymous("/api/v1/namespaces/default/pods")
                .header("Authorization", "Bearer not-issued-here").build(), HttpResponse.BodyHandlers.ofString());
        for (HttpResponse<String> response : List.of(none, unknown)) {
            assertThat(response.statusCode()).isEqualTo(401);
            Status status = Serialization.unmarshal(response.body(), Status.class);
            assertThat(status.getKind()).isEqualTo("Status");
            assertThat(status.getStatus()).isEqualTo("Failure");
            assertThat(status.getReason()).isEqualTo("Unauthorized");
            assertThat(status.getMessage()).isEqualTo("Unauthorized");
            assertThat(status.getCode()).isEqualTo(401);
        }
        HttpResponse<String> discovery = http.client().send(http.anonymous("/version").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(discovery.statusCode()).as("discovery too needs a token").isEqualTo(401);
    }

    @Test
    void theAdminKubeconfigIsAllPowerfulAndKeepsWorkingAcrossARestart() throws Exception {
        assertThat(kubectl(server.kubeconfig(), "auth", "can-i", "delete", "nodes").output().trim()).isEqualTo("yes");
        String kubeconfig = Files.readString(server.kubeconfig());
        assertThat(Files.getPosixFilePermissions(server.kubeconfig())).as("it holds the admin's token")
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        admin.close();
        server.close();
        server = LocalApiServer.start(stateDir, 0, new LoopbackAddressPool(List.of("127.0.2.", "127.0.3."), Set::of));
        admin = server.newClient();
        Config before = Config.fromKubeconfig(kubeconfig);
        Config after = Config.fromKubeconfig(Files.readString(server.kubeconfig()));
        assertThat(after.getAutoOAuthToken()).as("the same token").isEqualTo(before.getAutoOAuthToken());
        assertThat(after.getCaCertData()).as("the same CA").isEqualTo(before.getCaCertData());
        assertThat(kubectl(server.kubeconfig(), "get", "serviceaccount", "robot", "-n", "apps", "-o", "name")
                .output().trim()).isEqualTo("serviceaccount/robot");
    }

    @Test
    void aServiceAccountGetsWhatItsRoleGrantsInItsNamespaceAndA403WithTheRealMessageOtherwise() {
        admin.rbac().roles().inNamespace("default").resource(new RoleBuilder().withNewMetadata().withName("pod-reader")
                .endMetadata()
                .addToRules(new PolicyRuleBuilder().withApiGroups("").withResources("pods").withVerbs("get", "list", "watch").build())
                .addToRules(new PolicyRuleBuilder().withApiGroups("").withResources("configmaps")
                        .withResourceNames("allowed").withVerbs("get", "update").build())
                .build()).create();
        // A ServiceAccount subject without a namespace is the binding's namespace: "robot" of "default" is not ours.
        admin.rbac().roleBindings().inNamespace("default").resource(new RoleBindingBuilder().withNewMetadata()
                .withName("robot").endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", "pod-reader")
                .addNewSubject(null, "ServiceAccount", "robot", "apps")
                .addNewSubject(null, "ServiceAccount", "robot", null).build()).create();
        admin.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("p").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("x").endContainer().endSpec().build()).create();
        admin.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("allowed")
                .endMetadata().build()).create();
        admin.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("private")
                .endMetadata().build()).create();
        KubernetesClient robot = serviceAccountClient("apps", "robot");

        assertThat(robot.pods().inNamespace("default").list().getItems()).hasSize(1);
        assertThat(robot.pods().inNamespace("default").withName("p").get()).isNotNull();
        assertThat(robot.configMaps().inNamespace("default").withName("allowed").get()).isNotNull();

        forbidden(() -> robot.pods().inNamespace("other").list(),
                "pods is forbidden: User \"" + ROBOT + "\" cannot list resource \"pods\" in API group \"\" in the namespace \"other\"",
                "", "pods", "");
        forbidden(() -> robot.pods().inNamespace("default").withName("p").delete(),
                "pods \"p\" is forbidden: User \"" + ROBOT + "\" cannot delete resource \"pods\" in API group \"\" in the namespace \"default\"",
                "", "pods", "p");
        forbidden(() -> robot.pods().inNamespace("default").delete(),
                "pods is forbidden: User \"" + ROBOT + "\" cannot deletecollection resource \"pods\" in API group \"\" in the namespace \"default\"",
                "", "pods", "");
        forbidden(() -> robot.pods().inNamespace("default").withName("p").getLog(),
                "pods \"p\" is forbidden: User \"" + ROBOT + "\" cannot get resource \"pods/log\" in API group \"\" in the namespace \"default\"",
                "", "pods", "p");
        forbidden(() -> robot.configMaps().inNamespace("default").withName("private").get(),
                "configmaps \"private\" is forbidden: User \"" + ROBOT + "\" cannot get resource \"configmaps\" in API group \"\" in the namespace \"default\"",
                "", "configmaps", "private");
        forbidden(() -> robot.configMaps().inNamespace("default").list(),
                "configmaps is forbidden: User \"" + ROBOT + "\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"default\"",
                "", "configmaps", "");
        forbidden(() -> robot.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                        .withName("new").endMetadata().build()).create(),
                "configmaps is forbidden: User \"" + ROBOT + "\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"default\"",
                "", "configmaps", "");
        forbidden(() -> robot.apps().statefulSets().inNamespace("default").list(),
                "statefulsets.apps is forbidden: User \"" + ROBOT + "\" cannot list resource \"statefulsets\" in API group \"apps\" in the namespace \"default\"",
                "apps", "statefulsets", "");
        forbidden(() -> robot.nodes().list(),
                "nodes is forbidden: User \"" + ROBOT + "\" cannot list resource \"nodes\" in API group \"\" at the cluster scope",
                "", "nodes", "");
        assertThat(admin.configMaps().inNamespace("default").withName("new").get()).as("nothing written").isNull();
        assertThat(admin.pods().inNamespace("default").withName("p").get()).as("nothing deleted").isNotNull();
    }

    @Test
    void aWatchIsAuthorizedAsWatchAndASingleObjectsListByItsName() throws Exception {
        admin.rbac().roles().inNamespace("default").resource(new RoleBuilder().withNewMetadata().withName("one-map")
                .endMetadata().addToRules(new PolicyRuleBuilder().withApiGroups("").withResources("configmaps")
                        .withResourceNames("watched").withVerbs("list", "watch").build()).build()).create();
        admin.rbac().roleBindings().inNamespace("default").resource(new RoleBindingBuilder().withNewMetadata()
                .withName("one-map").endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", "one-map")
                .addNewSubject(null, "ServiceAccount", "robot", "apps").build()).create();
        KubernetesClient robot = serviceAccountClient("apps", "robot");
        CompletableFuture<String> added = new CompletableFuture<>();
        try (Watch watch = robot.configMaps().inNamespace("default").withName("watched").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, io.fabric8.kubernetes.api.model.ConfigMap resource) {
                added.complete(action + " " + resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            admin.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("watched").endMetadata().build()).create();
            assertThat(added.get(10, TimeUnit.SECONDS)).isEqualTo("ADDED watched");
        }
        KubeconfigHttp http = KubeconfigHttp.of(stateDir.resolve("apps-robot.kubeconfig"));
        HttpResponse<String> watchAll = http.client().send(http.request(
                "/api/v1/namespaces/default/configmaps?watch=true").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(watchAll.statusCode()).isEqualTo(403);
        assertThat(Serialization.unmarshal(watchAll.body(), Status.class).getMessage()).isEqualTo("configmaps is"
                + " forbidden: User \"" + ROBOT + "\" cannot watch resource \"configmaps\" in API group \"\" in the"
                + " namespace \"default\"");
    }

    @Test
    void clusterRolesGrantEverywhereThroughClusterRoleBindingsWithWildcardsAndSubresources() {
        admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName("apps-and-status")
                .endMetadata()
                .addToRules(new PolicyRuleBuilder().withApiGroups("apps").withResources("*").withVerbs("*").build())
                .addToRules(new PolicyRuleBuilder().withApiGroups("").withResources("nodes", "pods/log")
                        .withVerbs("get").build())
                .build()).create();
        admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
                .withName("robot-apps").endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole",
                        "apps-and-status")
                .addNewSubject(null, "ServiceAccount", "robot", "apps").build()).create();
        KubernetesClient robot = serviceAccountClient("apps", "robot");
        assertThat(robot.apps().statefulSets().inNamespace("other").list().getItems()).isEmpty();
        assertThat(robot.apps().statefulSets().inAnyNamespace().list().getItems()).isEmpty();
        assertThat(robot.apps().deployments().inNamespace("other").withName("none").delete()).as("allowed; nothing there").isEmpty();
        forbidden(() -> robot.nodes().list(),
                "nodes is forbidden: User \"" + ROBOT + "\" cannot list resource \"nodes\" in API group \"\" at the cluster scope",
                "", "nodes", "");
        forbidden(() -> robot.pods().inNamespace("other").withName("p").get(),
                "pods \"p\" is forbidden: User \"" + ROBOT + "\" cannot get resource \"pods\" in API group \"\" in the namespace \"other\"",
                "", "pods", "p");
    }

    @Test
    void aBindingToAMissingRoleSaysSoInTheDenial() {
        admin.rbac().roleBindings().inNamespace("default").resource(new RoleBindingBuilder().withNewMetadata()
                .withName("dangling").endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", "gone")
                .addNewSubject(null, "ServiceAccount", "robot", "apps").build()).create();
        KubernetesClient robot = serviceAccountClient("apps", "robot");
        forbidden(() -> robot.pods().inNamespace("default").list(),
                "pods is forbidden: User \"" + ROBOT + "\" cannot list resource \"pods\" in API group \"\" in the namespace"
                        + " \"default\": RBAC: role.rbac.authorization.k8s.io \"gone\" not found",
                "", "pods", "");
    }

    @Test
    void aServiceAccountsTokenIsValidOnlyWhileTheAccountExists() {
        Path kubeconfig = stateDir.resolve("ghost.kubeconfig");
        server.writeServiceAccountKubeconfig("apps", "ghost", kubeconfig);
        KubernetesClient ghost = client(kubeconfig);
        assertThatThrownBy(() -> ghost.pods().inNamespace("apps").list())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(401));
        KubernetesClient robot = serviceAccountClient("apps", "robot");
        assertThat(robot.authorization().v1().selfSubjectAccessReview().create(review("list", "pods", "apps"))
                .getStatus().getAllowed()).isFalse();
        admin.serviceAccounts().inNamespace("apps").withName("robot").delete();
        assertThatThrownBy(() -> robot.pods().inNamespace("apps").list())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(401));
    }

    @Test
    void selfSubjectAccessReviewsAnswerFromTheSameRules() {
        grantPodReader();
        KubernetesClient robot = serviceAccountClient("apps", "robot");
        SelfSubjectAccessReview allowed = robot.authorization().v1().selfSubjectAccessReview()
                .create(review("list", "pods", "default"));
        assertThat(allowed.getStatus().getAllowed()).isTrue();
        assertThat(allowed.getStatus().getReason()).isEqualTo("RBAC: allowed by RoleBinding \"robot/default\" of Role"
                + " \"pod-reader\" to ServiceAccount \"robot/apps\"");
        assertThat(robot.authorization().v1().selfSubjectAccessReview().create(review("create", "pods", "default"))
                .getStatus().getAllowed()).isFalse();
        assertThat(robot.authorization().v1().selfSubjectAccessReview().create(review("list", "pods", "other"))
                .getStatus().getAllowed()).isFalse();
        assertThat(admin.authorization().v1().selfSubjectAccessReview().create(review("delete", "nodes", ""))
                .getStatus().getAllowed()).as("system:masters").isTrue();
    }

    @Test
    void selfSubjectRulesReviewsListTheRulesOfTheBindingsThatNameTheRequester() {
        grantPodReader();
        KubernetesClient robot = serviceAccountClient("apps", "robot");
        io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview inDefault = robot.resource(
                new io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder().withNewMetadata()
                        .endMetadata().withNewSpec().withNamespace("default").endSpec().build()).create();
        assertThat(inDefault.getStatus().getIncomplete()).isFalse();
        assertThat(inDefault.getStatus().getResourceRules()).anySatisfy(rule -> {
            assertThat(rule.getResources()).containsExactly("pods");
            assertThat(rule.getVerbs()).containsExactly("get", "list", "watch");
        }).noneSatisfy(rule -> assertThat(rule.getVerbs()).contains("*"));
        io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview elsewhere = robot.resource(
                new io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder().withNewMetadata()
                        .endMetadata().withNewSpec().withNamespace("other").endSpec().build()).create();
        assertThat(elsewhere.getStatus().getResourceRules()).noneSatisfy(rule -> assertThat(rule.getResources()).contains("pods"));
    }

    @Test
    void kubectlAuthCanIAnswersForTheAccountItselfAndForTheAdminImpersonatingIt() throws Exception {
        grantPodReader();
        Path robot = stateDir.resolve("robot.kubeconfig");
        server.writeServiceAccountKubeconfig("apps", "robot", robot);
        Kubectl yes = kubectl(robot, "auth", "can-i", "list", "pods", "-n", "default");
        assertThat(yes.output().trim()).isEqualTo("yes");
        assertThat(yes.exit()).isZero();
        Kubectl no = kubectl(robot, "auth", "can-i", "create", "pods", "-n", "default");
        assertThat(no.output().trim()).isEqualTo("no");
        assertThat(no.exit()).isEqualTo(1);
        assertThat(kubectl(robot, "auth", "can-i", "list", "pods", "-n", "other").output().trim()).isEqualTo("no");

        assertThat(kubectl(server.kubeconfig(), "auth", "can-i", "list", "pods", "-n", "default", "--as=" + ROBOT)
                .output().trim()).isEqualTo("yes");
        assertThat(kubectl(server.kubeconfig(), "auth", "can-i", "delete", "pods", "-n", "default", "--as=" + ROBOT)
                .output().trim()).isEqualTo("no");
        Kubectl impersonated = kubectl(server.kubeconfig(), "get", "pods", "-n", "other", "--as=" + ROBOT);
        assertThat(impersonated.exit()).isNotZero();
        assertThat(impersonated.errors()).contains("pods is forbidden: User \"" + ROBOT + "\" cannot list resource"
                + " \"pods\" in API group \"\" in the namespace \"other\"");

        Kubectl escalation = kubectl(robot, "get", "pods", "-n", "other", "--as=kubernetes-admin",
                "--as-group=system:masters");
        assertThat(escalation.exit()).isNotZero();
        assertThat(escalation.errors()).as("the account may not impersonate").contains("users \"kubernetes-admin\" is"
                + " forbidden: User \"" + ROBOT + "\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope");
    }

    private void grantPodReader() {
        admin.rbac().roles().inNamespace("default").resource(new RoleBuilder().withNewMetadata().withName("pod-reader")
                .endMetadata().addToRules(new PolicyRuleBuilder().withApiGroups("").withResources("pods")
                        .withVerbs("get", "list", "watch").build()).build()).create();
        admin.rbac().roleBindings().inNamespace("default").resource(new RoleBindingBuilder().withNewMetadata()
                .withName("robot").endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", "pod-reader")
                .addNewSubject(null, "ServiceAccount", "robot", "apps").build()).create();
    }

    private static SelfSubjectAccessReview review(String verb, String resource, String namespace) {
        return new SelfSubjectAccessReviewBuilder().withNewSpec().withNewResourceAttributes().withVerb(verb)
                .withResource(resource).withNamespace(namespace).endResourceAttributes().endSpec().build();
    }

    private static void forbidden(Executable request, String message, String group, String kind, String name) {
        assertThatThrownBy(request::execute).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(403);
            assertThat(e.getStatus().getReason()).isEqualTo("Forbidden");
            assertThat(e.getStatus().getMessage()).isEqualTo(message);
            assertThat(e.getStatus().getDetails().getGroup()).isEqualTo(group);
            assertThat(e.getStatus().getDetails().getKind()).isEqualTo(kind);
            assertThat(e.getStatus().getDetails().getName()).isEqualTo(name);
        });
    }

    private KubernetesClient serviceAccountClient(String namespace, String name) {
        Path kubeconfig = stateDir.resolve(namespace + "-" + name + ".kubeconfig");
        server.writeServiceAccountKubeconfig(namespace, name, kubeconfig);
        return client(kubeconfig);
    }

    private KubernetesClient client(Path kubeconfig) {
        try {
            KubernetesClient client = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
            clients.add(client);
            return client;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** @param output what kubectl printed on stdout, @param errors on stderr */
    record Kubectl(int exit, String output, String errors) {
    }

    private static Kubectl kubectl(Path kubeconfig, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        Path errors = Files.createTempFile("kubectl", ".err");
        Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError(command + " did not finish in 60 s");
            }
            return new Kubectl(process.exitValue(), output, Files.readString(errors));
        } finally {
            process.destroyForcibly();
            Files.delete(errors);
        }
    }
}
