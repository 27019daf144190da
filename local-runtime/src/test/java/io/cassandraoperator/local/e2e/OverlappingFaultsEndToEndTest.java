package io.cassandraoperator.local.e2e;

import org.junit.jupiter.api.Test;

/**
 * The randomized fault test's short run in the suite (#23): one seed of 3 faults (scale changes, pod kills, operator
 * kills, disk wipes; one replica's worth of loss at a time) under a QUORUM writer, then the convergence assertions of
 * {@link OverlappingFaultsCluster}. {@code -Dfaults.seed=N} replays another seed; {@link OverlappingFaultsSystemTest}
 * runs the two schedules and longer seeds.
 */
class OverlappingFaultsEndToEndTest extends OverlappingFaultsCluster {
    /** Scale to 4, kill the operator, wipe member 1's disk: a loss that may land while member 3 still joins (#23). */
    private static final long SUITE_SEED = 84L;
    private static final int FAULTS = 3;
    private static final long MAX_PAUSE_MILLIS = 10_000;

    OverlappingFaultsEndToEndTest() throws java.io.IOException {
        super("faults");
    }

    @Test
    void aShortSeededFaultScheduleConvergesWithEveryAcknowledgedRow() throws Exception {
        for (long seed : FaultSchedule.seeds(SUITE_SEED)) {
            runSchedule(FaultSchedule.of(seed, FAULTS, MAX_PAUSE_MILLIS));
        }
    }
}
