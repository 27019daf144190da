package io.cassandraoperator.local.apiserver.auth;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;

import java.util.List;

/** Whether one RBAC rule allows a request, as kube-apiserver's {@code RuleAllows} decides it. */
final class PolicyRules {
    private static final String ALL = "*";

    private PolicyRules() {
    }

    static boolean allows(PolicyRule rule, RequestAttributes request) {
        if (request.resourceRequest()) {
            return verbMatches(rule, request.verb())
                    && contains(rule.getApiGroups(), request.apiGroup())
                    && resourceMatches(rule.getResources(), request.resourceWithSubresource(), request.subresource())
                    && nameMatches(rule.getResourceNames(), request.name());
        }
        return verbMatches(rule, request.verb()) && pathMatches(rule.getNonResourceURLs(), request.path());
    }

    private static boolean verbMatches(PolicyRule rule, String verb) {
        return contains(rule.getVerbs(), verb);
    }

    private static boolean contains(List<String> values, String value) {
        return values != null && (values.contains(ALL) || values.contains(value));
    }

    /** {@code *} is every resource and subresource; {@code *}{@code /status} is the status of every resource. */
    private static boolean resourceMatches(List<String> resources, String combined, String subresource) {
        if (resources == null) {
            return false;
        }
        for (String r : resources) {
            if (r.equals(ALL) || r.equals(combined)) {
                return true;
            }
            if (!subresource.isEmpty() && r.equals("*/" + subresource)) {
                return true;
            }
        }
        return false;
    }

    /** A rule naming objects allows only requests for one of them by name (so never a list or a create). */
    private static boolean nameMatches(List<String> names, String name) {
        return names == null || names.isEmpty() || names.contains(name);
    }

    private static boolean pathMatches(List<String> urls, String path) {
        if (urls == null) {
            return false;
        }
        for (String url : urls) {
            if (url.equals(ALL) || url.equals(path)
                    || (url.endsWith(ALL) && path.startsWith(url.substring(0, url.length() - 1)))) {
                return true;
            }
        }
        return false;
    }
}
