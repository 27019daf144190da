package io.cassandraoperator.local.e2e;

import io.cassandraoperator.api.Contract;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import com.datastax.oss.driver.api.core.CqlSession;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * Issue #23's two schedules, then the randomized fault test for several seeds ({@code -Dfaults.seeds=a,b,c}, or
 * {@code -Dfaults.seed=N}), on one shared cluster. Run with {@code ./mvnw verify -Psystem-tests} (too long for the
 * suite; {@link OverlappingFaultsEndToEndTest} runs one short seed there).
 */
class OverlappingFaultsSystemTest extends OverlappingFaultsCluster {
    /** Faults per seed here: longer than the suite's one short seed. */
    private static final int FAULTS_PER_SEED = 6;
    private static final long MAX_PAUSE_MILLIS = 20_000;

    OverlappingFaultsSystemTest() throws java.io.IOException {
        super("faults-system");
    }

    /**
     * Schedule 1: the operator is killed and member 2's disk wiped while its Cassandra runs; members 3→4; member 2's
     * pod killed; members back to 3.
     */
    @Test
    @Order(1)
    void wipedMemberThenScaleUpThenItsPodKilledThenScaleDownConverges() throws Exception {
        long started = System.nanoTime();
        try (CqlSession session = session(); QuorumWriter writer = new QuorumWriter(session, acknowledged)) {
            await().atMost(Duration.ofMinutes(2)).until(() -> acknowledged.size() >= 500);
            killOperator();
            wipeDisk(member(2));
            editMembers(4);
            // The member 3 starts bootstrapping here; today member 2 is found lost first: whichever comes.
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500)).until(() ->
                    client.pods().inNamespace(NAMESPACE).withName(member(3)).get() != null
                            || annotations(member(2)).containsKey(Contract.Annotations.REPLACE_CAUSE));
            killPod(member(2));
            editMembers(3);
            awaitConverged();
            writer.close();
            System.out.printf("MEASURED schedule 1: %d s to converge, %d rows acknowledged at QUORUM, %d write failures (last: %s)%n",
                    Duration.ofNanos(System.nanoTime() - started).toSeconds(), acknowledged.size(), writer.failures.get(),
                    writer.lastFailure.get());
        }
        reportWhatTheOperatorDid("schedule 1");
        assertConvergedWithEveryRow(true);
    }

    /** Schedule 2: members 3→5; the operator killed and member 4's disk wiped while its Cassandra runs; members 5→4→3. */
    @Test
    @Order(2)
    void scaleUpThenWipedHighestMemberThenScaleDownInTwoStepsConverges() throws Exception {
        long started = System.nanoTime();
        try (CqlSession session = session(); QuorumWriter writer = new QuorumWriter(session, acknowledged)) {
            editMembers(5);
            await().atMost(CONVERGE_TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() ->
                    client.pods().inNamespace(NAMESPACE).withName(member(4)).get() != null);
            killOperator();
            wipeDisk(member(4));
            editMembers(4);
            editMembers(3);
            awaitConverged();
            writer.close();
            System.out.printf("MEASURED schedule 2: %d s to converge, %d rows acknowledged at QUORUM, %d write failures (last: %s)%n",
                    Duration.ofNanos(System.nanoTime() - started).toSeconds(), acknowledged.size(), writer.failures.get(),
                    writer.lastFailure.get());
        }
        reportWhatTheOperatorDid("schedules 1 and 2");
        assertConvergedWithEveryRow(true);
    }

    @Test
    @Order(3)
    void randomizedFaultSchedulesConverge() throws Exception {
        for (long seed : FaultSchedule.seeds(23L)) {
            runSchedule(FaultSchedule.of(seed, FAULTS_PER_SEED, MAX_PAUSE_MILLIS));
        }
    }
}
