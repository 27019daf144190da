package io.cassandraoperator.operator;

import io.cassandraoperator.api.Contract;
import io.fabric8.kubernetes.api.model.Pod;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How the operator runs: which namespaces it watches, where it reaches the agents, how often it polls a running
 * operation. Read from the environment by {@link OperatorMain}; tests set their own.
 *
 * @param namespaces             namespaces to watch; empty = all
 * @param agentPort              the agents' HTTP port on the pod IP
 * @param operationPollInterval  how often a running operation (cleanup, repair) is polled
 * @param leaseNamespace         where the leader-election Lease lives; empty = no leader election (a single operator)
 * @param deletionCleanupLimit   how long after a Cluster's deletion (whenDeleted: Delete) the operator keeps its finalizer
 *                               while the pods, claims, Services and Secrets go; past it the finalizer is removed anyway
 */
public record OperatorSettings(Set<String> namespaces, int agentPort, Duration operationPollInterval, Optional<String> leaseNamespace,
                               Duration deletionCleanupLimit) {
    static final String LEASE_NAME = Contract.Leadership.LEASE_NAME;
    static final Duration DEFAULT_POLL = Duration.ofSeconds(5);
    /** A decommission's end starts the member's removal, so it is looked for sooner; one agent call a second is cheap. */
    static final Duration DECOMMISSION_POLL = Duration.ofSeconds(1);
    /** Pods drain for up to two minutes (RackStatefulSet.TERMINATION_GRACE_SECONDS); ten leaves room for a slow volume release. */
    static final Duration DEFAULT_DELETION_CLEANUP_LIMIT = Duration.ofMinutes(10);

    public OperatorSettings(Set<String> namespaces, int agentPort, Duration operationPollInterval, Optional<String> leaseNamespace) {
        this(namespaces, agentPort, operationPollInterval, leaseNamespace, DEFAULT_DELETION_CLEANUP_LIMIT);
    }

    public static OperatorSettings fromEnvironment(Map<String, String> env) {
        String watch = env.getOrDefault("WATCH_NAMESPACES", "");
        Set<String> namespaces = Set.of(watch.split(",")).stream().map(String::trim).filter(s -> !s.isEmpty())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        int port = Integer.parseInt(env.getOrDefault("AGENT_PORT", String.valueOf(Contract.Ports.AGENT)));
        Duration poll = Optional.ofNullable(env.get("OPERATION_POLL_SECONDS")).map(s -> Duration.ofSeconds(Long.parseLong(s))).orElse(DEFAULT_POLL);
        Optional<String> lease = Optional.ofNullable(env.get("LEADER_ELECTION_NAMESPACE")).filter(n -> !n.isBlank());
        Duration cleanup = Optional.ofNullable(env.get("DELETION_CLEANUP_SECONDS")).map(s -> Duration.ofSeconds(Long.parseLong(s)))
                .orElse(DEFAULT_DELETION_CLEANUP_LIMIT);
        return new OperatorSettings(namespaces, port, poll, lease, cleanup);
    }

    /** How often a running decommission is polled: at most every second, never less often than other operations. */
    public Duration decommissionPollInterval() {
        return operationPollInterval.compareTo(DECOMMISSION_POLL) < 0 ? operationPollInterval : DECOMMISSION_POLL;
    }

    /** The agent of a pod, on its pod IP; empty while the pod has none. */
    public Optional<URI> agent(Pod pod) {
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        if (ip == null || ip.isBlank()) {
            return Optional.empty();
        }
        String host = ip.contains(":") ? "[" + ip + "]" : ip;
        return Optional.of(URI.create("http://" + host + ":" + agentPort + "/"));
    }
}
