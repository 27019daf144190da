package io.cassandraoperator.agent.http;

import io.cassandraoperator.agent.cassandra.CassandraNode;
import io.cassandraoperator.agent.cassandra.OperationMode;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Ready means Cassandra serves clients: operation mode NORMAL (or DECOMMISSION_FAILED, which is NORMAL after a refused
 * decommission) and its CQL port accepts connections.
 */
public final class Readiness {
    private static final int CONNECT_TIMEOUT_MILLIS = 1000;

    private final CassandraNode node;
    private final InetSocketAddress cqlAddress;

    public Readiness(CassandraNode node, InetSocketAddress cqlAddress) {
        this.node = node;
        this.cqlAddress = cqlAddress;
    }

    /** Null when ready, else why not. */
    String notReadyReason() {
        String mode = node.operationMode().orElse(null);
        if (mode == null) {
            return "Cassandra is not reachable over JMX";
        }
        if (!OperationMode.isServing(mode)) {
            return "Cassandra's operation mode is " + mode;
        }
        try (Socket socket = new Socket()) {
            socket.connect(cqlAddress, CONNECT_TIMEOUT_MILLIS);
            return null;
        } catch (IOException e) {
            return "CQL port " + cqlAddress + " does not accept connections: " + e.getMessage();
        }
    }
}
