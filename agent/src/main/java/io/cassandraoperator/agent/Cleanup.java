package io.cassandraoperator.agent;

import io.cassandraoperator.agent.CassandraNode.NodeUnreachableException;
import io.cassandraoperator.agent.OperationReport.State;

/**
 * Cleanup of every non-system keyspace after a scale-out. Safe to repeat, so unlike a decommission it needs no record
 * beyond the agent's memory; like one, a POST while it runs or after it finished starts nothing.
 */
public final class Cleanup implements NodeOperation {
    private final CassandraNode node;
    private final BackgroundOperation operation;

    public Cleanup(CassandraNode node) {
        this.node = node;
        this.operation = new BackgroundOperation("cleanup", node::cleanupAllKeyspaces);
    }

    @Override
    public OperationReport report() {
        return operation.report();
    }

    @Override
    public synchronized StartResult start() throws NodeUnreachableException {
        OperationReport current = operation.report();
        if (current.state() == State.RUNNING || current.state() == State.DONE) {
            return new StartResult(false, current);
        }
        if (node.operationMode().isEmpty()) {
            throw new NodeUnreachableException("Cassandra is not reachable over JMX; cleanup not started", null);
        }
        boolean started = operation.startUnlessRunningOrDone();
        return new StartResult(started, operation.report());
    }
}
