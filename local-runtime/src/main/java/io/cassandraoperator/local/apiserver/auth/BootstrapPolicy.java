package io.cassandraoperator.local.apiserver.auth;

import io.cassandraoperator.local.apiserver.registry.ObjectRegistry;
import io.cassandraoperator.local.apiserver.storage.ObjectStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.Map;

/**
 * The default ClusterRoles and ClusterRoleBindings kube-apiserver creates at start (its {@code rbac/bootstrap-roles}
 * hook), the few this runtime needs: {@code cluster-admin} for {@code system:masters}, and for every authenticated
 * user discovery ({@code system:discovery}, {@code system:public-info-viewer}) and access reviews of itself
 * ({@code system:basic-user}, which {@code kubectl auth can-i} uses). Created when absent; a changed one is left as
 * the user changed it.
 */
public final class BootstrapPolicy {
    private static final Map<String, String> LABELS = Map.of("kubernetes.io/bootstrapping", "rbac-defaults");
    private static final Map<String, String> ANNOTATIONS = Map.of("rbac.authorization.kubernetes.io/autoupdate", "true");
    private static final String RBAC = "/apis/rbac.authorization.k8s.io/v1/";

    private BootstrapPolicy() {
    }

    public static void ensure(ObjectStore store, ObjectRegistry registry) {
        role(store, registry, new ClusterRoleBuilder().withNewMetadata().withName("cluster-admin").endMetadata()
                .addToRules(new PolicyRuleBuilder().withApiGroups("*").withResources("*").withVerbs("*").build())
                .addToRules(new PolicyRuleBuilder().withNonResourceURLs("*").withVerbs("*").build()).build(),
                RequestUser.SYSTEM_MASTERS);
        role(store, registry, new ClusterRoleBuilder().withNewMetadata().withName("system:discovery").endMetadata()
                .addToRules(new PolicyRuleBuilder().withNonResourceURLs("/api", "/api/*", "/apis", "/apis/*",
                        "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/")
                        .withVerbs("get").build()).build(), RequestUser.AUTHENTICATED);
        role(store, registry, new ClusterRoleBuilder().withNewMetadata().withName("system:public-info-viewer")
                .endMetadata().addToRules(new PolicyRuleBuilder().withNonResourceURLs("/healthz", "/livez", "/readyz",
                        "/version", "/version/").withVerbs("get").build()).build(), RequestUser.AUTHENTICATED);
        role(store, registry, new ClusterRoleBuilder().withNewMetadata().withName("system:basic-user").endMetadata()
                .addToRules(new PolicyRuleBuilder().withApiGroups("authorization.k8s.io")
                        .withResources("selfsubjectaccessreviews", "selfsubjectrulesreviews").withVerbs("create")
                        .build()).build(), RequestUser.AUTHENTICATED);
    }

    private static void role(ObjectStore store, ObjectRegistry registry, ClusterRole role, String group) {
        String name = role.getMetadata().getName();
        role.getMetadata().setLabels(LABELS);
        role.getMetadata().setAnnotations(ANNOTATIONS);
        ClusterRoleBinding binding = new ClusterRoleBindingBuilder().withNewMetadata().withName(name)
                .withLabels(LABELS).withAnnotations(ANNOTATIONS).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", name)
                .addNewSubject("rbac.authorization.k8s.io", "Group", group, null).build();
        createIfAbsent(store, registry, "clusterroles", role);
        createIfAbsent(store, registry, "clusterrolebindings", binding);
    }

    private static void createIfAbsent(ObjectStore store, ObjectRegistry registry, String plural, HasMetadata object) {
        if (store.find(store.key(RBAC + plural + "/" + object.getMetadata().getName())) == null) {
            registry.create(RBAC + plural, Serialization.asJson(object));
        }
    }
}
