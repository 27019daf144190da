package io.cassandraoperator.agent.http;

import io.cassandraoperator.agent.backup.BackupRuns;
import io.cassandraoperator.agent.backup.RestoreRuns;
import io.cassandraoperator.agent.cassandra.FakeCassandraNode;
import io.cassandraoperator.agent.cassandra.FakeSnapshotNode;
import io.cassandraoperator.agent.membership.VolumeMarker;
import io.cassandraoperator.agent.operations.Decommission;
import io.cassandraoperator.agent.operations.RepeatableOperation;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

/**
 * The agent's HTTP API of member {@code c/c-dc1-rack1-0} (token {@code s3cret}) on loopback, over a fake Cassandra
 * node, with a listening socket standing in for Cassandra's CQL port (readiness checks it); both stopped by close.
 */
record AgentApiOnFakeNode(AgentHttpApi api, ServerSocket cqlPort) implements AutoCloseable {
    static AgentApiOnFakeNode start(FakeCassandraNode node, Path dataDir) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ServerSocket cqlPort = new ServerSocket(0, 10, loopback);
        AgentHttpApi api = new AgentHttpApi(new InetSocketAddress(loopback, 0), "s3cret", "c/c-dc1-rack1-0", () -> true,
                new Readiness(node, new InetSocketAddress(loopback, cqlPort.getLocalPort())), node,
                VolumeMarker.joined(dataDir)::exists,
                new Decommission(node, VolumeMarker.decommissioned(dataDir), VolumeMarker.decommissionStarted(dataDir)),
                RepeatableOperation.cleanup(node, dataDir), RepeatableOperation.repair(node, dataDir),
                BackupRuns.onVolume(new FakeSnapshotNode(dataDir.resolve("data")), dataDir,
                        new BackupRuns.MemberIdentity("c-dc1-rack1-0", "dc1", "rack1")),
                RestoreRuns.onVolume(new FakeSnapshotNode(dataDir.resolve("data")), dataDir));
        api.start();
        return new AgentApiOnFakeNode(api, cqlPort);
    }

    @Override
    public void close() throws IOException {
        api.close();
        cqlPort.close();
    }
}
