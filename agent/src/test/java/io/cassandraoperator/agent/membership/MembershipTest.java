package io.cassandraoperator.agent.membership;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MembershipTest {

    @TempDir
    Path members;

    @Test
    void aSeedLeavesItselfOutOfItsSeedListSoItBootstraps() throws IOException {
        Files.writeString(members.resolve("c-dc1-r1-1"), "10.96.0.11\n");
        Files.writeString(members.resolve("seeds"), "10.96.0.10, 10.96.0.11,10.96.0.12\n");

        Membership membership = Membership.read(members, "c-dc1-r1-1");

        assertThat(membership.broadcastAddress()).isEqualTo("10.96.0.11");
        assertThat(membership.seeds()).containsExactly("10.96.0.10", "10.96.0.11", "10.96.0.12");
        assertThat(membership.seedsForCassandra(false)).containsExactly("10.96.0.10", "10.96.0.12");
        assertThat(membership.replaceRequested()).isFalse();
    }

    @Test
    void theOnlySeedKeepsItselfOrTheClusterCouldNeverStart() {
        assertThat(new Membership("10.96.0.10", List.of("10.96.0.10"), false).seedsForCassandra(false))
                .containsExactly("10.96.0.10");
    }

    @Test
    void aMemberThatIsNoSeedGetsAllSeeds() {
        assertThat(new Membership("10.96.0.12", List.of("10.96.0.10", "10.96.0.11"), false).seedsForCassandra(false))
                .containsExactly("10.96.0.10", "10.96.0.11");
    }

    @Test
    void aSeedWhoseDataJoinedTheRingKeepsItselfSoAWholeClusterCanRestart() {
        assertThat(new Membership("10.96.0.11", List.of("10.96.0.10", "10.96.0.11"), false).seedsForCassandra(true))
                .containsExactly("10.96.0.10", "10.96.0.11");
    }

    @Test
    void aReplaceKeyNextToTheMemberAsksForAReplacement() throws IOException {
        Files.writeString(members.resolve("c-dc1-r1-2"), "10.96.0.12");
        Files.writeString(members.resolve("c-dc1-r1-2.replace"), "");
        Files.writeString(members.resolve("seeds"), "10.96.0.10");

        assertThat(Membership.read(members, "c-dc1-r1-2").replaceRequested()).isTrue();
    }

    @Test
    void everyOtherMemberBeingReplacedIsASeedSoGossipReachesItWhileItHibernates() throws IOException {
        Files.writeString(members.resolve("c-dc1-r1-0"), "10.96.0.10");
        Files.writeString(members.resolve("c-dc1-r1-3"), "10.96.0.13");
        Files.writeString(members.resolve("c-dc1-r1-3.replace"), "10.96.0.13");
        Files.writeString(members.resolve("c-dc1-r1-4"), "10.96.0.14");
        Files.writeString(members.resolve("c-dc1-r1-4.replace"), "");
        Files.writeString(members.resolve("seeds"), "10.96.0.10,10.96.0.11");

        Membership seed = Membership.read(members, "c-dc1-r1-0");
        Membership replacing = Membership.read(members, "c-dc1-r1-3");

        assertThat(seed.othersBeingReplaced()).containsExactly("10.96.0.13", "10.96.0.14");
        assertThat(seed.seedsForCassandra(true)).containsExactly("10.96.0.10", "10.96.0.11", "10.96.0.13", "10.96.0.14");
        assertThat(replacing.replaceRequested()).isTrue();
        assertThat(replacing.seedsForCassandra(false)).containsExactly("10.96.0.10", "10.96.0.11", "10.96.0.14");
    }

    @Test
    void aMissingAddressIsAClearError() throws IOException {
        Files.writeString(members.resolve("seeds"), "10.96.0.10");

        assertThatThrownBy(() -> Membership.read(members, "c-dc1-r1-3"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no broadcast address for c-dc1-r1-3");
    }

    @Test
    void anEmptySeedListIsAClearError() throws IOException {
        Files.writeString(members.resolve("c-dc1-r1-0"), "10.96.0.10");
        Files.writeString(members.resolve("seeds"), " , ");

        assertThatThrownBy(() -> Membership.read(members, "c-dc1-r1-0")).hasMessageContaining("is empty");
    }
}
