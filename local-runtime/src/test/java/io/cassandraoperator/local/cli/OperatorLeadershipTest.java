package io.cassandraoperator.local.cli;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code status} says about the operators and their Lease. */
class OperatorLeadershipTest {
    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 12, 1, 12, 0, 0, 0, ZoneOffset.UTC);
    private final List<RunningOperator> operators = List.of(
            new RunningOperator(1, ProcessHandle.current(), "operator-1-abcde"),
            new RunningOperator(2, ProcessHandle.current(), "operator-2-fghjk"));

    @Test
    void theHolderOfTheLeaseLeadsAndTheOtherStandsBy() {
        List<String> lines = OperatorLeadership.lines(operators, lease("operator-2-fghjk"), NOW);
        long pid = ProcessHandle.current().pid();
        assertThat(lines).containsExactly(
                "operator 1 (pid " + pid + ", operator-1-abcde): standby",
                "operator 2 (pid " + pid + ", operator-2-fghjk): leader, holds Lease default/cassandra-operator");
        assertThat(OperatorLeadership.leader(operators, lease("operator-2-fghjk"))).contains(operators.get(1));
    }

    @Test
    void aLeaseHeldByAProcessThatIsGoneIsSaidSo() {
        List<String> lines = OperatorLeadership.lines(operators, lease("operator-1-zzzzz"), NOW);
        assertThat(lines).hasSize(3).allSatisfy(l -> assertThat(l).doesNotContain("leader,"));
        assertThat(lines.get(2)).isEqualTo("Lease default/cassandra-operator: held by operator-1-zzzzz, which no longer runs"
                + " (renewed 4 s ago; a standby takes over 15 s after the last renewal)");
        assertThat(OperatorLeadership.leader(operators, lease("operator-1-zzzzz"))).isEmpty();
        assertThat(OperatorLeadership.lines(List.of(), null, NOW))
                .containsExactly("operator: not running", "Lease default/cassandra-operator: held by nobody yet");
    }

    private static Lease lease(String holder) {
        return new LeaseBuilder().withNewMetadata().withName("cassandra-operator").endMetadata().withNewSpec()
                .withHolderIdentity(holder).withLeaseDurationSeconds(15).withRenewTime(NOW.minusSeconds(4)).endSpec().build();
    }
}
