package io.cassandraoperator.agent.operations;

import io.cassandraoperator.agent.cassandra.CassandraNode.NodeUnreachableException;
import io.cassandraoperator.agent.cassandra.FakeCassandraNode;
import io.cassandraoperator.agent.membership.VolumeMarker;
import io.cassandraoperator.api.agent.OperationReport;
import io.cassandraoperator.api.agent.OperationState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.RuntimeMBeanException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class DecommissionTest {

    @TempDir
    Path dataDir;

    private final FakeCassandraNode node = new FakeCassandraNode();

    @Test
    void runsOnceAndWritesTheMarkerWhenCassandraIsDecommissioned() throws Exception {
        Decommission decommission = new Decommission(node, VolumeMarker.decommissioned(dataDir), VolumeMarker.decommissionStarted(dataDir));
        assertThat(decommission.report().state()).isEqualTo(OperationState.NOT_STARTED);

        NodeOperation.StartResult first = decommission.start();
        assertThat(first.started()).isTrue();
        assertThat(first.report().state()).isEqualTo(OperationState.RUNNING);

        NodeOperation.StartResult second = decommission.start();
        assertThat(second.started()).isFalse();
        assertThat(second.report().state()).isEqualTo(OperationState.RUNNING);
        await().until(() -> node.decommissionCalls.get() == 1);
        assertThat(VolumeMarker.decommissionStarted(dataDir).exists())
                .as("the agent's own request is on the volume before Cassandra leaves").isTrue();

        node.releaseDecommission.countDown();
        await().until(() -> decommission.report().state() == OperationState.DONE);
        assertThat(VolumeMarker.decommissioned(dataDir).exists()).isTrue();
        assertThat(decommission.start().started()).isFalse();
        assertThat(node.decommissionCalls).hasValue(1);
    }

    @Test
    void aRefusalIsReportedWithCassandrasMessageAndMayBeRetried() throws Exception {
        node.refusal = new RuntimeMBeanException(new UnsupportedOperationException(
                "Not enough live nodes to maintain replication factor in keyspace ks (RF = 2, N = 2)."));
        Decommission decommission = new Decommission(node, VolumeMarker.decommissioned(dataDir), VolumeMarker.decommissionStarted(dataDir));

        decommission.start();
        await().until(() -> decommission.report().state() == OperationState.FAILED);
        assertThat(decommission.report().message())
                .isEqualTo("Not enough live nodes to maintain replication factor in keyspace ks (RF = 2, N = 2).");
        assertThat(VolumeMarker.decommissioned(dataDir).exists()).isFalse();

        node.refusal = null;
        node.releaseDecommission.countDown();
        assertThat(decommission.start().started()).isTrue();
        await().until(() -> decommission.report().state() == OperationState.DONE);
        assertThat(node.decommissionCalls).hasValue(2);
    }

    @Test
    void aRestartedAgentReportsTheDecommissionCassandraIsRunningAndStartsNone() throws Exception {
        node.mode = "LEAVING";
        Decommission decommission = new Decommission(node, VolumeMarker.decommissioned(dataDir), VolumeMarker.decommissionStarted(dataDir));

        assertThat(decommission.report().state()).isEqualTo(OperationState.RUNNING);
        assertThat(decommission.start().started()).isFalse();

        node.mode = "DECOMMISSIONED";
        assertThat(decommission.report().state()).isEqualTo(OperationState.DONE);
        assertThat(VolumeMarker.decommissioned(dataDir).exists()).isTrue();
        assertThat(node.decommissionCalls).hasValue(0);
    }

    @Test
    void theMarkerAloneMeansDoneEvenWithoutCassandra() throws Exception {
        VolumeMarker.decommissioned(dataDir).write();
        node.mode = null;
        Decommission decommission = new Decommission(node, VolumeMarker.decommissioned(dataDir), VolumeMarker.decommissionStarted(dataDir));

        assertThat(decommission.report().state()).isEqualTo(OperationState.DONE);
        assertThat(decommission.start()).isEqualTo(new NodeOperation.StartResult(false, OperationReport.of(OperationState.DONE)));
        assertThat(node.decommissionCalls).hasValue(0);
    }

    @Test
    void nothingStartsWhileCassandraIsUnreachable() {
        node.mode = null;
        Decommission decommission = new Decommission(node, VolumeMarker.decommissioned(dataDir), VolumeMarker.decommissionStarted(dataDir));

        assertThatThrownBy(decommission::start).isInstanceOf(NodeUnreachableException.class);
        assertThat(node.decommissionCalls).hasValue(0);
    }
}
