package io.cassandraoperator.local.apiserver.auth;

import java.util.List;
import java.util.Optional;

/** Who sent a request, as the API server's authenticators name users: a user name and its groups. */
public record RequestUser(String name, List<String> groups) {
    /** The group kube-apiserver allows everything, before any RBAC rule is read. */
    public static final String SYSTEM_MASTERS = "system:masters";
    public static final String AUTHENTICATED = "system:authenticated";
    static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";
    static final String SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts";
    /** The admin of the runtime's kubeconfig, named as kubeadm names it. */
    public static final RequestUser ADMIN = new RequestUser("kubernetes-admin", List.of(SYSTEM_MASTERS, AUTHENTICATED));

    public RequestUser {
        groups = List.copyOf(groups);
    }

    /** A ServiceAccount's user with the groups its tokens carry. */
    public static RequestUser serviceAccount(String namespace, String name) {
        return new RequestUser(SERVICE_ACCOUNT_PREFIX + namespace + ":" + name,
                List.of(SERVICE_ACCOUNTS_GROUP, SERVICE_ACCOUNTS_GROUP + ":" + namespace, AUTHENTICATED));
    }

    /** The namespace and name of the ServiceAccount this user is, if it is one. */
    public Optional<ServiceAccountName> serviceAccount() {
        return ServiceAccountName.of(name);
    }

    public boolean privileged() {
        return groups.contains(SYSTEM_MASTERS);
    }

    /** A ServiceAccount named by its user name {@code system:serviceaccount:<namespace>:<name>}. */
    public record ServiceAccountName(String namespace, String name) {
        static Optional<ServiceAccountName> of(String userName) {
            if (!userName.startsWith(SERVICE_ACCOUNT_PREFIX)) {
                return Optional.empty();
            }
            String[] parts = userName.substring(SERVICE_ACCOUNT_PREFIX.length()).split(":", -1);
            if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new ServiceAccountName(parts[0], parts[1]));
        }
    }
}
