package io.cassandraoperator.agent.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The replication {@code system_auth} needs. Cassandra 5.0 creates it with SimpleStrategy and RF 1
 * ({@code cassandra.system_auth.default_rf}), so losing the one replica of a role locks that role out. Wanted:
 * NetworkTopologyStrategy with min(3, nodes of the datacenter in the ring) replicas in this datacenter. Not 3 from
 * the start: logins read at LOCAL_QUORUM and role changes write at EACH_QUORUM, which more replicas than nodes
 * could never reach. Only ever raised: a lower count may be a node that is down, not one that left.
 */
final class AuthReplication {
    static final int WANTED_REPLICAS = 3;
    private static final String NETWORK_TOPOLOGY = "NetworkTopologyStrategy";

    private AuthReplication() {
    }

    /** The replication to set, or empty when the current one already has enough replicas in this datacenter. */
    static Optional<Map<String, Integer>> raised(Map<String, String> current, String datacenter, int nodesInDatacenter) {
        int wanted = Math.min(WANTED_REPLICAS, Math.max(1, nodesInDatacenter));
        boolean networkTopology = current.getOrDefault("class", "").endsWith(NETWORK_TOPOLOGY);
        Map<String, Integer> replicas = new LinkedHashMap<>();
        if (networkTopology) {
            current.forEach((key, value) -> {
                if (!key.equals("class")) {
                    replicas.put(key, Integer.parseInt(value));
                }
            });
        }
        int present = replicas.getOrDefault(datacenter, 0);
        if (networkTopology && present >= wanted) {
            return Optional.empty();
        }
        replicas.put(datacenter, Math.max(present, wanted));
        return Optional.of(replicas);
    }

    static String alterStatement(Map<String, Integer> replicas) {
        String perDatacenter = replicas.entrySet().stream()
                .map(entry -> "'" + entry.getKey().replace("'", "''") + "': " + entry.getValue())
                .collect(Collectors.joining(", "));
        return "ALTER KEYSPACE system_auth WITH replication = {'class': '" + NETWORK_TOPOLOGY + "', " + perDatacenter + "}";
    }
}
