package io.cassandraoperator.agent.operations;

import io.cassandraoperator.agent.cassandra.OperationFailure;
import io.cassandraoperator.api.agent.OperationReport;
import io.cassandraoperator.api.agent.OperationState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
/** Runs one blocking call on its own thread and remembers how it ended. */
final class BackgroundOperation {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundOperation.class);

    /** The blocking call; it throws with Cassandra's message when Cassandra refuses or fails. */
    @FunctionalInterface
    interface Task {
        void run() throws Exception;
    }

    private final String name;
    private final Task task;
    private OperationReport report = OperationReport.of(OperationState.NOT_STARTED);

    BackgroundOperation(String name, Task task) {
        this.name = name;
        this.task = task;
    }

    synchronized OperationReport report() {
        return report;
    }

    /** Starts the task unless it is running or done; returns whether it started. */
    synchronized boolean startUnlessRunningOrDone() {
        if (report.state() == OperationState.RUNNING || report.state() == OperationState.DONE) {
            return false;
        }
        report = OperationReport.of(OperationState.RUNNING);
        Thread thread = new Thread(this::runTask, name);
        thread.setDaemon(true);
        thread.start();
        LOG.info("Started {}", name);
        return true;
    }

    private void runTask() {
        OperationReport outcome;
        try {
            task.run();
            outcome = OperationReport.of(OperationState.DONE);
            LOG.info("{} finished", name);
        } catch (Exception e) {
            outcome = new OperationReport(OperationState.FAILED, OperationFailure.message(e));
            // Usually Cassandra refusing (e.g. too few nodes for a keyspace's RF): its message is the news.
            LOG.warn("{} failed: {}", name, outcome.message());
            LOG.debug("{} failure", name, e);
        }
        synchronized (this) {
            report = outcome;
        }
    }
}
