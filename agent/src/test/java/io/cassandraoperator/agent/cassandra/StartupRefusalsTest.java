package io.cassandraoperator.agent.cassandra;

import io.cassandraoperator.agent.cassandra.StartupRefusals.Refusal;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StartupRefusalsTest {
    /** As Cassandra 5.0.6 prints them (CassandraDaemon; seen in the agent ITs' and the local runtime's logs). */
    static final String DECOMMISSIONED = "This node was decommissioned and will not rejoin the ring unless "
            + "-Dcassandra.override_decommission=true has been set, or all existing data is removed and the node is "
            + "bootstrapped again";
    static final String ADDRESS_IN_RING = "Exception (java.lang.RuntimeException) encountered during startup: A node "
            + "with address /127.0.2.3:7000 already exists, cancelling join. Use cassandra.replace_address if you want "
            + "to replace this node.";

    @Test
    void aRefusalPrintedAtStartupCountsWhenTheProcessExitsWithItsCode() {
        StartupRefusals decommissioned = new StartupRefusals();
        decommissioned.observe("INFO  [main] 2026-12-01 13:00:00,000 StorageService.java:1 - Starting up server gossip");
        decommissioned.observe(DECOMMISSIONED);
        decommissioned.observe("Fatal configuration error; unable to start server.  See log for stacktrace.");
        assertThat(decommissioned.exitedFor(1)).contains(Refusal.DECOMMISSIONED);

        StartupRefusals addressInRing = new StartupRefusals();
        addressInRing.observe(ADDRESS_IN_RING);
        assertThat(addressInRing.exitedFor(3)).contains(Refusal.ADDRESS_IN_RING);
    }

    @Test
    void aRefusalLineAfterNormalCountsForNothing() {
        StartupRefusals refusals = new StartupRefusals();
        refusals.reachedNormal();
        // A client's partition key holding a line break, echoed by a warning: the forged part is a line of its own.
        refusals.observe("WARN  [CompactionExecutor:1] 2026-12-01 13:00:00,000 BigTableWriter.java:1 - Writing large partition ks/t:x");
        refusals.observe(DECOMMISSIONED);
        refusals.observe(ADDRESS_IN_RING);

        assertThat(refusals.exitedFor(1)).isEmpty();
        assertThat(refusals.exitedFor(3)).isEmpty();
    }

    @Test
    void aRefusalBeforeNormalStopsCountingOnceTheProcessReachedNormal() {
        StartupRefusals refusals = new StartupRefusals();
        refusals.observe(DECOMMISSIONED);
        refusals.reachedNormal();

        assertThat(refusals.exitedFor(1)).as("a process that reached NORMAL did not refuse to start").isEmpty();
    }

    @Test
    void theRefusalsWordsInsideAWarningAreNotTheRefusal() {
        StartupRefusals refusals = new StartupRefusals();
        refusals.observe("WARN  [ReadStage-1] 2026-12-01 13:00:00,000 ReadCommand.java:1 - Read 1000 live rows and 5000 "
                + "tombstone cells for query SELECT * FROM ks.t WHERE k = '" + DECOMMISSIONED + "' LIMIT 100");
        refusals.observe("WARN  [main] 2026-12-01 13:00:00,000 Foo.java:1 - key " + ADDRESS_IN_RING);

        assertThat(refusals.exitedFor(1)).isEmpty();
        assertThat(refusals.exitedFor(3)).isEmpty();
    }

    @Test
    void aRefusalFollowedByAnotherExitCodeIsNotThatRefusal() {
        StartupRefusals refusals = new StartupRefusals();
        refusals.observe(DECOMMISSIONED);
        refusals.observe(ADDRESS_IN_RING);

        assertThat(refusals.exitedFor(137)).as("killed").isEmpty();
        assertThat(refusals.exitedFor(0)).isEmpty();
        assertThat(refusals.exitedFor(3)).contains(Refusal.ADDRESS_IN_RING);
    }
}
