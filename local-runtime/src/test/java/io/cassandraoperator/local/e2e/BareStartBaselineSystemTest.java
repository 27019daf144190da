package io.cassandraoperator.local.e2e;

import io.cassandraoperator.local.baseline.BareMembers;
import io.cassandraoperator.local.cli.CliProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The baseline for the end-to-end tests' "up to Ready" time: the same three members (same agent, same Cassandra, same
 * settings) started bare, one after the other, each on its own loopback address with no API, operator, kubelet or
 * proxy. The difference is what the local runtime costs.
 */
class BareStartBaselineSystemTest {
    private static final List<String> ADDRESSES = List.of("127.0.5.1", "127.0.5.2", "127.0.5.3");

    @TempDir
    Path dir;

    @Test
    void threeMembersStartedBareInSequence() throws Exception {
        List<ProcessHandle> started;
        try (BareMembers bare = new BareMembers(CliProcess.PROJECT, dir, ADDRESSES.get(0))) {
            long start = System.nanoTime();
            for (int i = 0; i < ADDRESSES.size(); i++) {
                bare.startAndAwaitReady("bare-" + i, ADDRESSES.get(i), Duration.ofMinutes(5));
            }
            long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            System.out.printf("MEASURED bare: 3 members started in sequence, all ready in %d s%n", seconds);
            started = bare.processTrees();
            assertThat(started).as("3 agents and their Cassandra").hasSizeGreaterThanOrEqualTo(6).allMatch(ProcessHandle::isAlive);
        }
        assertThat(started).noneMatch(ProcessHandle::isAlive);
    }
}
