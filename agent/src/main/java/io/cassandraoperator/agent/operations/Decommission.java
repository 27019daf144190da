package io.cassandraoperator.agent.operations;

import io.cassandraoperator.agent.cassandra.CassandraNode;
import io.cassandraoperator.agent.cassandra.CassandraNode.NodeUnreachableException;
import io.cassandraoperator.agent.cassandra.OperationMode;
import io.cassandraoperator.agent.membership.VolumeMarker;
import io.cassandraoperator.api.agent.OperationReport;
import io.cassandraoperator.api.agent.OperationState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The member's decommission. Cassandra's operation mode and the marker on the data volume are the truth, so a
 * restarted agent (or one whose JMX connection broke mid-way) reports the decommission it did not start itself and
 * never starts a second one.
 */
public final class Decommission implements NodeOperation {
    private static final Logger LOG = LoggerFactory.getLogger(Decommission.class);

    private final CassandraNode node;
    private final VolumeMarker marker;
    private final VolumeMarker started;
    private final BackgroundOperation operation;

    /**
     * @param marker  written once Cassandra finished the decommission
     * @param started written before the agent asks Cassandra to decommission (see {@link VolumeMarker#DECOMMISSION_STARTED})
     */
    public Decommission(CassandraNode node, VolumeMarker marker, VolumeMarker started) {
        this.node = node;
        this.marker = marker;
        this.started = started;
        this.operation = new BackgroundOperation("decommission", this::decommission);
    }

    @Override
    public synchronized OperationReport report() {
        if (marker.exists()) {
            return OperationReport.of(OperationState.DONE);
        }
        Optional<String> mode = node.operationMode();
        return reportFor(mode);
    }

    @Override
    public synchronized StartResult start() throws NodeUnreachableException {
        if (marker.exists()) {
            return new StartResult(false, OperationReport.of(OperationState.DONE));
        }
        Optional<String> mode = node.operationMode();
        if (mode.isEmpty()) {
            throw new NodeUnreachableException("Cassandra is not reachable over JMX; decommission not started", null);
        }
        OperationReport current = reportFor(mode);
        if (current.state() == OperationState.RUNNING || current.state() == OperationState.DONE) {
            LOG.info("Decommission requested; not starting another: it is {} (Cassandra mode {})", current.state(), mode.get());
            return new StartResult(false, current);
        }
        boolean started = operation.startUnlessRunningOrDone();
        return new StartResult(started, operation.report());
    }

    private OperationReport reportFor(Optional<String> mode) {
        if (mode.filter(OperationMode.DECOMMISSIONED::equals).isPresent()) {
            if (!marker.exists()) {
                marker.write();
                LOG.info("Cassandra reports DECOMMISSIONED: wrote {}", marker.file());
            }
            return OperationReport.of(OperationState.DONE);
        }
        OperationReport tracked = operation.report();
        if (tracked.state() == OperationState.RUNNING || mode.filter(OperationMode.LEAVING::equals).isPresent()) {
            return OperationReport.of(OperationState.RUNNING);
        }
        return tracked;
    }

    private void decommission() throws Exception {
        if (!started.exists()) {
            started.write();
        }
        node.decommission();
        String mode = node.operationMode().orElse("unreachable");
        if (!OperationMode.DECOMMISSIONED.equals(mode)) {
            throw new IllegalStateException("decommission returned but Cassandra's operation mode is " + mode);
        }
        marker.write();
        LOG.info("Cassandra is DECOMMISSIONED: wrote {}", marker.file());
    }
}
