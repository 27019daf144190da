package io.cassandraoperator.local.apiserver.auth;

import io.cassandraoperator.local.apiserver.storage.ObjectStore;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * kube-apiserver's authorizer chain as this runtime runs it: the group {@code system:masters} is allowed everything,
 * anyone else what the stored Roles, ClusterRoles, RoleBindings and ClusterRoleBindings grant: every
 * ClusterRoleBinding, then for a namespaced request the RoleBindings of its namespace (to a Role of that namespace or
 * to a ClusterRole). Nothing is cached: a binding written is in force for the next request, as with the real server's
 * informers a moment later. Aggregated ClusterRoles are not aggregated (their own rules count).
 */
public final class RbacAuthorizer {
    private static final String RBAC = "/apis/rbac.authorization.k8s.io/v1/";

    private final ObjectStore store;

    public RbacAuthorizer(ObjectStore store) {
        this.store = store;
    }

    public AuthorizationDecision authorize(RequestAttributes request) {
        if (request.user().privileged()) {
            return new AuthorizationDecision(true, "");
        }
        List<String> errors = new ArrayList<>();
        for (ClusterRoleBinding binding : objects(RBAC + "clusterrolebindings", ClusterRoleBinding.class)) {
            for (Subject subject : subjects(binding.getSubjects())) {
                if (appliesTo(subject, request.user(), "")) {
                    List<PolicyRule> rules = rules(binding.getRoleRef(), "", errors);
                    if (rules.stream().anyMatch(r -> PolicyRules.allows(r, request))) {
                        return allowed("ClusterRoleBinding \"" + binding.getMetadata().getName() + "\"",
                                binding.getRoleRef(), subject, "");
                    }
                    break;
                }
            }
        }
        if (!request.namespace().isEmpty()) {
            String namespace = request.namespace();
            for (RoleBinding binding : objects(RBAC + "namespaces/" + namespace + "/rolebindings", RoleBinding.class)) {
                for (Subject subject : subjects(binding.getSubjects())) {
                    if (appliesTo(subject, request.user(), namespace)) {
                        List<PolicyRule> rules = rules(binding.getRoleRef(), namespace, errors);
                        if (rules.stream().anyMatch(r -> PolicyRules.allows(r, request))) {
                            return allowed("RoleBinding \"" + binding.getMetadata().getName() + "/" + namespace + "\"",
                                    binding.getRoleRef(), subject, namespace);
                        }
                        break;
                    }
                }
            }
        }
        return new AuthorizationDecision(false, errors.isEmpty() ? "" : "RBAC: " + String.join(", ", errors));
    }

    /**
     * Every rule that applies to the user in that namespace, as kube-apiserver's RBAC rule resolver lists them for a
     * {@code SelfSubjectRulesReview}: the rules of every ClusterRoleBinding naming the user, then of the namespace's
     * RoleBindings; {@code incomplete} when a binding names a role that does not exist.
     */
    public RulesForUser rules(RequestUser user, String namespace) {
        if (user.privileged()) {
            return new RulesForUser(List.of(new io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder()
                    .withVerbs("*").withApiGroups("*").withResources("*").build(),
                    new io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder().withVerbs("*").withNonResourceURLs("*").build()),
                    List.of());
        }
        List<String> errors = new ArrayList<>();
        List<PolicyRule> rules = new ArrayList<>();
        for (ClusterRoleBinding binding : objects(RBAC + "clusterrolebindings", ClusterRoleBinding.class)) {
            if (subjects(binding.getSubjects()).stream().anyMatch(s -> appliesTo(s, user, ""))) {
                rules.addAll(rules(binding.getRoleRef(), "", errors));
            }
        }
        for (RoleBinding binding : objects(RBAC + "namespaces/" + namespace + "/rolebindings", RoleBinding.class)) {
            if (subjects(binding.getSubjects()).stream().anyMatch(s -> appliesTo(s, user, namespace))) {
                rules.addAll(rules(binding.getRoleRef(), namespace, errors));
            }
        }
        return new RulesForUser(List.copyOf(rules), List.copyOf(errors));
    }

    /** The rules a user has in a namespace, and why the list may be incomplete. */
    public record RulesForUser(List<PolicyRule> rules, List<String> errors) {
    }

    private static AuthorizationDecision allowed(String binding, RoleRef role, Subject subject, String namespace) {
        return new AuthorizationDecision(true, "RBAC: allowed by " + binding + " of " + role.getKind() + " \""
                + role.getName() + "\" to " + describe(subject, namespace));
    }

    private static String describe(Subject subject, String bindingNamespace) {
        if ("ServiceAccount".equals(subject.getKind())) {
            String namespace = subject.getNamespace() == null || subject.getNamespace().isEmpty()
                    ? bindingNamespace : subject.getNamespace();
            return "ServiceAccount \"" + subject.getName() + "/" + namespace + "\"";
        }
        return subject.getKind() + " \"" + subject.getName() + "\"";
    }

    /** Whether a subject of a binding (in that namespace, "" for a ClusterRoleBinding) names the user. */
    private static boolean appliesTo(Subject subject, RequestUser user, String bindingNamespace) {
        return switch (String.valueOf(subject.getKind())) {
            case "User" -> user.name().equals(subject.getName());
            case "Group" -> user.groups().contains(subject.getName());
            case "ServiceAccount" -> {
                String namespace = subject.getNamespace() == null || subject.getNamespace().isEmpty()
                        ? bindingNamespace : subject.getNamespace();
                yield !namespace.isEmpty() && user.name().equals(
                        RequestUser.serviceAccount(namespace, subject.getName()).name());
            }
            default -> false;
        };
    }

    private List<PolicyRule> rules(RoleRef ref, String bindingNamespace, List<String> errors) {
        if ("ClusterRole".equals(ref.getKind())) {
            ClusterRole role = object(RBAC + "clusterroles/" + ref.getName(), ClusterRole.class);
            if (role == null) {
                errors.add("clusterrole.rbac.authorization.k8s.io \"" + ref.getName() + "\" not found");
                return List.of();
            }
            return role.getRules() == null ? List.of() : role.getRules();
        }
        if ("Role".equals(ref.getKind()) && !bindingNamespace.isEmpty()) {
            Role role = object(RBAC + "namespaces/" + bindingNamespace + "/roles/" + ref.getName(), Role.class);
            if (role == null) {
                errors.add("role.rbac.authorization.k8s.io \"" + ref.getName() + "\" not found");
                return List.of();
            }
            return role.getRules() == null ? List.of() : role.getRules();
        }
        errors.add("unsupported role reference kind: \"" + ref.getKind() + "\"");
        return List.of();
    }

    private static List<Subject> subjects(List<Subject> subjects) {
        return subjects == null ? List.of() : subjects;
    }

    private <T> List<T> objects(String path, Class<T> type) {
        return store.matching(store.key(path)).stream().map(Map.Entry::getValue)
                .map(json -> Serialization.unmarshal(json, type)).toList();
    }

    private <T> T object(String path, Class<T> type) {
        Map.Entry<AttributeSet, String> found = store.find(store.key(path));
        return found == null ? null : Serialization.unmarshal(found.getValue(), type);
    }
}
