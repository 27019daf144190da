package io.cassandraoperator.local.e2e;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The fault schedule is a pure function of its seed: a printed seed replays the run. */
class FaultScheduleTest {
    @Test
    void theSameSeedGivesTheSameScheduleAndAnotherSeedAnother() {
        assertThat(FaultSchedule.of(42, 8, 10_000)).isEqualTo(FaultSchedule.of(42, 8, 10_000));
        assertThat(FaultSchedule.of(42, 8, 10_000).faults()).isNotEqualTo(FaultSchedule.of(43, 8, 10_000).faults());
    }

    @Test
    void scaleTargetsStayWithinTheBoundsAndEveryKindOccurs() {
        Set<FaultSchedule.Kind> kinds = EnumSet.noneOf(FaultSchedule.Kind.class);
        for (long seed = 0; seed < 50; seed++) {
            for (FaultSchedule.Fault fault : FaultSchedule.of(seed, 6, 20_000).faults()) {
                kinds.add(fault.kind());
                assertThat(fault.pauseMillis()).isBetween(0L, 20_000L);
                if (fault.kind() == FaultSchedule.Kind.SCALE) {
                    assertThat(fault.value()).isBetween(FaultSchedule.MIN_MEMBERS, FaultSchedule.MAX_MEMBERS);
                }
                assertThat(fault.destructive()).isEqualTo(fault.kind() == FaultSchedule.Kind.KILL_POD
                        || fault.kind() == FaultSchedule.Kind.WIPE_DISK);
            }
        }
        assertThat(kinds).containsExactlyInAnyOrder(FaultSchedule.Kind.values());
    }
}
