package io.cassandraoperator.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.loadbalancing.NodeDistance;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.NodeState;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** CQL sessions of the benchmarks: over all members, or pinned to one member through one address. */
final class CqlSessions {
    private CqlSessions() {
    }

    static CqlSession all(List<InetSocketAddress> contactPoints, Optional<LocalRuntime.CqlCredentials> credentials) {
        return builder(credentials).addContactPoints(contactPoints).build();
    }

    /**
     * A session whose every request and connection goes to {@code address} and nowhere else: the driver keeps the
     * contact point's address for the node it first connects to (its peers are known by their broadcast addresses,
     * the ClusterIPs), and every other node is ignored. Fails when the driver would reach the node some other way.
     */
    static CqlSession pinned(InetSocketAddress address, Optional<LocalRuntime.CqlCredentials> credentials) {
        CqlSession session = builder(credentials).addContactPoint(address)
                .withNodeDistanceEvaluator((node, localDc) -> address.equals(node.getEndPoint().resolve())
                        ? NodeDistance.LOCAL : NodeDistance.IGNORED)
                .build();
        List<Node> used = session.getMetadata().getNodes().values().stream()
                .filter(n -> n.getDistance() != NodeDistance.IGNORED).toList();
        if (used.size() != 1 || !address.equals(used.get(0).getEndPoint().resolve())) {
            session.close();
            throw new IllegalStateException("a session pinned to " + address + " would use " + used);
        }
        return session;
    }

    /**
     * Runs a schema change and returns once every member has it: on a loaded machine a member can lag long enough
     * for a following prepare to reach it first and be told the table does not exist.
     */
    static void schemaChange(CqlSession session, String cql) throws InterruptedException {
        session.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofMinutes(1)));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!session.checkSchemaAgreement()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("members do not agree on the schema 2 min after: " + cql);
            }
            Thread.sleep(500);
        }
    }

    /**
     * Waits until the driver knows {@code members} nodes and sees each up: a member the operator counts Ready can
     * still be missing from another member's gossip for a while on a loaded machine, and writes at ALL would fail.
     */
    static void awaitMembersUp(CqlSession session, int members) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (session.getMetadata().getNodes().values().stream().filter(n -> n.getState() == NodeState.UP).count() < members) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the driver does not see " + members + " members up: "
                        + session.getMetadata().getNodes().values());
            }
            Thread.sleep(500);
        }
    }

    private static CqlSessionBuilder builder(Optional<LocalRuntime.CqlCredentials> credentials) {
        CqlSessionBuilder builder = CqlSession.builder().withLocalDatacenter("dc1")
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        // A busy 2-core machine answers slowly; a timeout would end a measurement, not describe it.
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
                        .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(30))
                        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30))
                        .build());
        credentials.ifPresent(c -> builder.withAuthCredentials(c.username(), c.password()));
        return builder;
    }
}
