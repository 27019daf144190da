package io.cassandraoperator.operator.plan;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SeedSelectionTest {
    @Test
    void oneRackTakesTheFirstThreeOrdinals() {
        assertThat(SeedSelection.choose(List.of(List.of("a0", "a1", "a2", "a3", "a4")))).containsExactly("a0", "a1", "a2");
    }

    @Test
    void ordinalZeroOfEachRackInSpecOrderFirst() {
        assertThat(SeedSelection.choose(List.of(List.of("a0", "a1"), List.of("b0", "b1"), List.of("c0", "c1"), List.of("d0"))))
                .containsExactly("a0", "b0", "c0");
        assertThat(SeedSelection.choose(List.of(List.of("a0", "a1", "a2"), List.of("b0", "b1")))).containsExactly("a0", "b0", "a1");
        assertThat(SeedSelection.choose(List.of(List.of(), List.of("b0", "b1")))).containsExactly("b0", "b1");
    }

    @Test
    void growingTheClusterKeepsEarlierSeeds() {
        List<String> small = SeedSelection.choose(List.of(List.of("a0"), List.of("b0")));
        List<String> grown = SeedSelection.choose(List.of(List.of("a0", "a1", "a2"), List.of("b0", "b1", "b2")));
        assertThat(grown).containsAll(small);
        assertThat(SeedSelection.choose(List.of(List.of("a0", "a1", "a2", "a3")))).isEqualTo(SeedSelection.choose(List.of(List.of("a0", "a1", "a2"))));
    }

    @Test
    void noMembersNoSeeds() {
        assertThat(SeedSelection.choose(List.of(List.of()))).isEmpty();
    }
}
