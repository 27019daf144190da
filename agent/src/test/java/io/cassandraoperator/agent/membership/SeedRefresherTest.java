package io.cassandraoperator.agent.membership;

import io.cassandraoperator.agent.cassandra.FakeCassandraNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class SeedRefresherTest {
    private final FakeCassandraNode node = new FakeCassandraNode();
    private final List<List<String>> written = new ArrayList<>();
    private final AtomicReference<Membership> membership =
            new AtomicReference<>(new Membership("10.96.0.10", List.of("10.96.0.10", "10.96.0.11"), false));
    private final SeedRefresher refresher = new SeedRefresher(membership::get, () -> true, written::add, node,
            List.of("10.96.0.10", "10.96.0.11"));

    @Test
    void unchangedSeedsTouchNeitherTheFileNorCassandra() {
        refresher.refresh();

        assertThat(written).isEmpty();
        assertThat(node.seedReloads).hasValue(0);
    }

    @Test
    void aMemberBeingReplacedIsWrittenAndReloadedOnceThenDroppedWhenItIsDone() {
        membership.set(new Membership("10.96.0.10", List.of("10.96.0.10", "10.96.0.11"), false, List.of("10.96.0.13")));
        refresher.refresh();
        refresher.refresh();

        assertThat(written).containsExactly(List.of("10.96.0.10", "10.96.0.11", "10.96.0.13"));
        assertThat(node.seedReloads).hasValue(1);

        membership.set(new Membership("10.96.0.10", List.of("10.96.0.10", "10.96.0.11"), false));
        refresher.refresh();

        assertThat(written).last().isEqualTo(List.of("10.96.0.10", "10.96.0.11"));
        assertThat(node.seedReloads).hasValue(2);
    }

    @Test
    void aReloadCassandraCannotTakeYetIsTriedAgain() {
        node.reloadFailure = new IllegalStateException("JMX not up yet");
        membership.set(new Membership("10.96.0.10", List.of("10.96.0.10"), false, List.of("10.96.0.13")));
        refresher.refresh();
        node.reloadFailure = null;
        refresher.refresh();
        refresher.refresh();

        assertThat(node.seedReloads).hasValue(2);
        assertThat(written).hasSize(2);
    }

    @Test
    void anUnreadableMembersConfigMapIsLeftForTheNextRound() {
        SeedRefresher unreadable = new SeedRefresher(() -> {
            throw new IllegalStateException("seeds file missing");
        }, () -> true, written::add, node, List.of("10.96.0.10"));

        unreadable.refresh();

        assertThat(written).isEmpty();
        assertThat(node.seedReloads).hasValue(0);
    }
}
