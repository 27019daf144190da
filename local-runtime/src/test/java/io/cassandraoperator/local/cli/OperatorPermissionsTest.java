package io.cassandraoperator.local.cli;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.local.ControlPlane;
import io.cassandraoperator.operator.ClusterOperator;
import io.cassandraoperator.operator.OperatorSettings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator on the local runtime's API server, authenticated as deploy/'s ServiceAccount with deploy/'s RBAC
 * (as {@code cassandra-local} runs it): with one verb taken out of its ClusterRole it fails with the API server's
 * permission error in the Cluster's status and creates nothing that verb guards; given deploy/'s rules back it goes
 * on. No kubelet and no Cassandra: the member Services and the StatefulSet are the operator's first writes.
 */
class OperatorPermissionsTest {
    private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();
    private static final String OPERATOR = "system:serviceaccount:cassandra-operator:cassandra-operator";

    @TempDir
    Path stateDir;
    ControlPlane plane;
    KubernetesClient admin;
    KubernetesClient operatorClient;
    ClusterOperator operator;

    @BeforeEach
    void start() {
        plane = ControlPlane.start(stateDir, 0);
        admin = plane.newClient();
        for (String crd : List.of("clusters.cassandra.rook.io-v1.yml", "backups.cassandra.rook.io-v1.yml", "restores.cassandra.rook.io-v1.yml")) {
            admin.apiextensions().v1().customResourceDefinitions().load(PROJECT.resolve("deploy/crds").resolve(crd).toFile()).create();
        }
    }

    @AfterEach
    void stop() {
        if (operator != null) {
            operator.close();
        }
        if (operatorClient != null) {
            operatorClient.close();
        }
        admin.close();
        plane.close();
    }

    @Test
    void withoutCreateOnServicesTheClusterSaysForbiddenAndWithDeploysRulesItGoesOn() throws Exception {
        OperatorRbac rbac = OperatorRbac.of(PROJECT);
        new ManifestApplier(admin).apply(withoutVerb(rbac.objects(), "services", "create"));
        startOperatorAs(rbac.serviceAccount());
        admin.resource(admin.getKubernetesSerialization().unmarshal(
                Files.readString(PROJECT.resolve("examples/cluster.yaml")), Cluster.class)).inNamespace("default").create();

        String forbidden = "services is forbidden: User \"" + OPERATOR + "\" cannot create resource \"services\" in API"
                + " group \"\" in the namespace \"default\"";
        await().atMost(Duration.ofSeconds(90)).until(() -> degraded().filter(m -> m.contains(forbidden)).isPresent());
        assertThat(admin.services().inNamespace("default").list().getItems()).as("no Service without the verb").isEmpty();
        assertThat(admin.apps().statefulSets().inNamespace("default").list().getItems()).isEmpty();

        new ManifestApplier(admin).apply(rbac.objects());
        await().atMost(Duration.ofSeconds(120)).until(() -> admin.services().inNamespace("default")
                .withName("cassandra-dc1-rack1-0").get() != null
                && admin.apps().statefulSets().inNamespace("default").withName("cassandra-dc1-rack1").get() != null);
        await().atMost(Duration.ofSeconds(60)).until(() -> degraded().filter(m -> m.contains("forbidden")).isEmpty());
    }

    private void startOperatorAs(ServiceAccount account) throws Exception {
        Path kubeconfig = stateDir.resolve("operator-kubeconfig");
        plane.writeServiceAccountKubeconfig(account.getMetadata().getNamespace(), account.getMetadata().getName(),
                kubeconfig);
        operatorClient = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
                .build();
        operator = new ClusterOperator(operatorClient, OperatorSettings.fromEnvironment(Map.of()));
        operator.start();
    }

    /** The message of the Cluster's Degraded condition, while it is True. */
    private Optional<String> degraded() {
        Cluster cluster = admin.resources(Cluster.class).inNamespace("default").withName("cassandra").get();
        if (cluster == null || cluster.getStatus() == null || cluster.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return cluster.getStatus().getConditions().stream()
                .filter(c -> "Degraded".equals(c.getType()) && "True".equals(c.getStatus()))
                .map(c -> c.getMessage()).findFirst();
    }

    /**
     * deploy/'s objects with one verb taken from one resource in the operator's ClusterRole: the rule granting it
     * loses that resource, which gets a rule of its own with the rule's other verbs.
     */
    private static List<HasMetadata> withoutVerb(List<HasMetadata> objects, String resource, String verb) {
        List<HasMetadata> changed = new ArrayList<>();
        boolean removed = false;
        for (HasMetadata object : objects) {
            HasMetadata copy = Serialization.unmarshal(Serialization.asJson(object), object.getClass());
            if (copy instanceof ClusterRole role && role.getMetadata().getName().equals("cassandra-operator")) {
                List<PolicyRule> rules = new ArrayList<>();
                for (PolicyRule rule : role.getRules()) {
                    if (rule.getResources().contains(resource) && rule.getVerbs().contains(verb)) {
                        rules.add(new PolicyRuleBuilder(rule).withResources(rule.getResources().stream()
                                .filter(r -> !r.equals(resource)).toList()).build());
                        rules.add(new PolicyRuleBuilder(rule).withResources(resource)
                                .withVerbs(rule.getVerbs().stream().filter(v -> !v.equals(verb)).toList()).build());
                        removed = true;
                    } else {
                        rules.add(rule);
                    }
                }
                role.setRules(rules);
            }
            changed.add(copy);
        }
        assertThat(removed).as("deploy/'s ClusterRole grants %s on %s", verb, resource).isTrue();
        return changed;
    }
}
