package io.cassandraoperator.api.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * The node as its Cassandra sees it ({@code GET} {@link io.cassandraoperator.api.Contract.AgentApi#NODE}): operation
 * mode (STARTING, JOINING, NORMAL, LEAVING, DECOMMISSIONED, ...), host id, the address it gossips under, the ring's
 * live, unreachable, joining and leaving endpoints, and its load as Cassandra's LoadString.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeStatus(String operationMode, String hostId, String broadcastAddress, List<String> liveNodes,
                         List<String> unreachableNodes, List<String> joiningNodes, List<String> leavingNodes,
                         String load) {
}
