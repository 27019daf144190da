package io.cassandraoperator.local.network;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoopbackAddressPoolTest {
    @Test
    void handsOutTheLowestFreeAddressAndNeverOneInUse() {
        LoopbackAddressPool pool = new LoopbackAddressPool(List.of("127.0.9."), () -> Set.of("127.0.9.3"));
        assertThat(pool.allocate()).isEqualTo("127.0.9.2");
        assertThat(pool.allocate()).as("127.0.9.3 is listened on by someone else").isEqualTo("127.0.9.4");
        assertThat(pool.reserve("127.0.9.2")).isFalse();
        assertThat(pool.reserve("127.0.8.2")).as("not in the pool").isFalse();
        pool.release("127.0.9.2");
        assertThat(pool.allocate()).isEqualTo("127.0.9.2");
    }

    @Test
    void spillsIntoTheNextRangeAndFailsWhenAllAreTaken() {
        LoopbackAddressPool pool = new LoopbackAddressPool(List.of("127.0.9.", "127.0.10."), Set::of);
        for (int i = 2; i <= 254; i++) {
            assertThat(pool.allocate()).isEqualTo("127.0.9." + i);
        }
        assertThat(pool.allocate()).isEqualTo("127.0.10.2");
        LoopbackAddressPool tiny = new LoopbackAddressPool(List.of("127.0.11."), Set::of);
        for (int i = 2; i <= 254; i++) {
            tiny.allocate();
        }
        assertThatThrownBy(tiny::allocate).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void seesListeningSocketsOfThisMachine() throws Exception {
        assertThat(LoopbackAddressPool.ipv4("0201007F")).isEqualTo("127.0.1.2");
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.9.77"))) {
            assertThat(LoopbackAddressPool.listeningAddresses()).contains("127.0.9.77");
        }
    }
}
