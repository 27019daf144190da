package io.cassandraoperator.local.apiserver.auth;

/**
 * The authorizer's answer: allowed or not, and why in RBAC's words ({@code RBAC: allowed by ...} when allowed;
 * when denied, only what went wrong resolving a binding, such as a missing role, or nothing).
 */
public record AuthorizationDecision(boolean allowed, String reason) {
}
