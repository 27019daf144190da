package io.cassandraoperator.api.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * The node as its Cassandra sees it ({@code GET} {@link io.cassandraoperator.api.Contract.AgentApi#NODE}): operation
 * mode (STARTING, JOINING, NORMAL, LEAVING, DECOMMISSIONED, ...), host id, the address it gossips under, the ring's
 * live, unreachable, joining and leaving endpoints, and its load as Cassandra's LoadString; and, from the agent,
 * whether Cassandra ever reached NORMAL on this data volume ({@code volumeJoined}: the agent's joined marker; null
 * from an agent that does not report it).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeStatus(String operationMode, String hostId, String broadcastAddress, List<String> liveNodes,
                         List<String> unreachableNodes, List<String> joiningNodes, List<String> leavingNodes,
                         String load, Boolean volumeJoined) {

    /** Cassandra's view alone; the agent adds {@link #withVolumeJoined}. */
    public NodeStatus(String operationMode, String hostId, String broadcastAddress, List<String> liveNodes,
                      List<String> unreachableNodes, List<String> joiningNodes, List<String> leavingNodes, String load) {
        this(operationMode, hostId, broadcastAddress, liveNodes, unreachableNodes, joiningNodes, leavingNodes, load, null);
    }

    public NodeStatus withVolumeJoined(boolean joined) {
        return new NodeStatus(operationMode, hostId, broadcastAddress, liveNodes, unreachableNodes, joiningNodes, leavingNodes, load, joined);
    }

    /** Whether the ring, as this node sees it, knows the address at all (live, unreachable, joining or leaving). */
    public boolean knows(String address) {
        return contains(liveNodes, address) || contains(unreachableNodes, address) || contains(joiningNodes, address)
                || contains(leavingNodes, address);
    }

    /** Whether this node's gossip holds the address UP: live, not unreachable. */
    public boolean seesUp(String address) {
        return contains(liveNodes, address) && !contains(unreachableNodes, address);
    }

    private static boolean contains(List<String> nodes, String address) {
        return nodes != null && nodes.stream().anyMatch(n -> n.equals(address) || n.startsWith(address + ":") || n.endsWith("/" + address));
    }
}
