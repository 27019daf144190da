package io.cassandraoperator.agent.operations;

import io.cassandraoperator.agent.cassandra.CassandraNode.NodeUnreachableException;
import io.cassandraoperator.api.agent.OperationReport;

/** A node operation the operator starts with POST and follows with GET. */
public interface NodeOperation {

    OperationReport report();

    /** Starts the operation unless one is running or finished; a failed one may be started again. */
    StartResult start() throws NodeUnreachableException;

    /** {@code started} is false when nothing was started and {@code report} is the running or finished operation. */
    record StartResult(boolean started, OperationReport report) {
    }
}
