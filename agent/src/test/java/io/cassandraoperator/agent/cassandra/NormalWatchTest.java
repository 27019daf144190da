package io.cassandraoperator.agent.cassandra;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class NormalWatchTest {

    @Test
    void tellsItsListenersOnceTheFirstTimeTheNodeIsARingMember() {
        FakeCassandraNode node = new FakeCassandraNode();
        AtomicInteger told = new AtomicInteger();
        NormalWatch watch = new NormalWatch(node, List.of(told::incrementAndGet));

        for (String mode : new String[] {null, "STARTING", "JOINING"}) {
            node.mode = mode;
            watch.check();
        }
        assertThat(told).hasValue(0);

        node.mode = "NORMAL";
        watch.check();
        watch.check();
        assertThat(told).hasValue(1);
    }

    @Test
    void aModeOnlyAMemberReachesCountsToo() {
        FakeCassandraNode node = new FakeCassandraNode();
        AtomicInteger told = new AtomicInteger();
        NormalWatch watch = new NormalWatch(node, List.of(told::incrementAndGet));

        node.mode = "LEAVING";
        watch.check();
        assertThat(told).hasValue(1);
    }
}
