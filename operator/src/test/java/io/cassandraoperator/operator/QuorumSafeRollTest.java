package io.cassandraoperator.operator;

import io.cassandraoperator.operator.plan.RollingPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.cassandraoperator.operator.OperatorHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rack rolls under a partition the operator lowers one member at a time, and only once every other member's gossip
 * holds the restarted member UP (#20): a readiness probe that passes is not enough.
 */
class QuorumSafeRollTest {
    private static final String SET = "q-dc1-rack1";

    @RegisterExtension
    final OperatorHarness harness = new OperatorHarness();

    @Test
    void theNextMemberStopsOnlyOnceTheOthersSeeTheRestartedOneUp() throws InterruptedException {
        harness.createReady("q", 3);
        String restarted = harness.api.client.services().inNamespace(NAMESPACE).withName(SET + "-2").get().getSpec().getClusterIP();
        harness.agents.notSeenUp.add(restarted);

        harness.editSpec("q", c -> c.getSpec().setForceRedeploymentReason("rotate keystore"));
        await().atMost(Duration.ofSeconds(20)).until(() -> harness.condition("q", "Progressing")
                .map(c -> c.getMessage().contains("member " + SET + "-2 restarted and is ready, but")
                        && c.getMessage().contains("do not see it UP in gossip yet")).orElse(false));
        List<Integer> partitions = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            partitions.add(RollingPartition.partition(harness.statefulSet(SET)));
            Thread.sleep(500);
        }
        assertThat(partitions).as("members 0 and 1 keep running while gossip holds member 2 DOWN").containsOnly(2);

        harness.agents.notSeenUp.clear();
        await().atMost(Duration.ofSeconds(30)).until(() -> RollingPartition.partition(harness.statefulSet(SET)) == 0);
        harness.awaitReady("q", 3);
    }
}
