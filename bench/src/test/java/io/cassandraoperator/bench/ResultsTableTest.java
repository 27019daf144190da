package io.cassandraoperator.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ResultsTableTest {
    @Test
    void aRunThatStoppedBeforeItsEndNeverMeetsItsTarget() {
        Measurement heap = Measurement.count("4. control plane N=1000", "operator heap after GC", 120, "MB", 256.0);
        assertThat(heap.verdict()).isEqualTo("met");
        assertThat(heap.unfinished().verdict()).isEqualTo(Measurement.UNFINISHED);
        assertThat(Measurement.count("4. control plane N=1000", "reconciles per second", 3, "1/s", null).unfinished().verdict())
                .isEqualTo(Measurement.UNFINISHED);
        assertThat(Measurement.ratio("1. bring-up", "ratio", 1.3, 1.0, null, 1.1).verdict()).isEqualTo("MISSED");
    }

    @Test
    void steadyStateCountsOnlyWhenEveryClusterReconciledInTheWindow() {
        Measurement load = Measurement.count("4. control plane N=10", "load average at start", 1.5, "2 cores", null);
        List<Measurement> some = ControlPlaneBench.steadyRows(10, load, new ControlPlaneBench.Steady(10, 7, 0, 0));
        assertThat(some).filteredOn(m -> m.metric().startsWith("operator")).extracting(Measurement::verdict)
                .containsOnly(Measurement.UNFINISHED);
        List<Measurement> every = ControlPlaneBench.steadyRows(10, load, new ControlPlaneBench.Steady(12, 10, 0, 0));
        assertThat(every).filteredOn(m -> m.metric().startsWith("operator")).extracting(Measurement::verdict).containsOnly("met");
        assertThat(ControlPlaneBench.steadyRows(10, load, new ControlPlaneBench.Steady(12, 10, 0, 1)))
                .filteredOn(m -> m.metric().equals("operator writes")).extracting(Measurement::verdict).containsOnly("MISSED");
    }

    @Test
    void eachBenchmarkIsItsOwnSectionInNumericOrder() {
        List<Measurement> rows = List.of(
                Measurement.count("4. control plane N=10", "time until all Ready", 5, "s", null),
                Measurement.count("3. steady state, 10 clusters", "operator writes", 0, "requests", 0.0),
                Measurement.count("4. control plane N=100", "time until all Ready", 40, "s", null),
                Measurement.count("1. bring-up, 3 members", "load average at start", 2, "2 cores", null),
                Measurement.count("4. control plane N=10", "operator heap after GC", 50, "MB", null));
        assertThat(ResultsTable.byBenchmark(rows).keySet()).containsExactly("1. bring-up, 3 members",
                "3. steady state, 10 clusters", "4. control plane N=10", "4. control plane N=100");
        String table = ResultsTable.render(rows);
        assertThat(table.indexOf("## 3. steady state")).isLessThan(table.indexOf("## 4. control plane N=10"));
        String n10 = table.substring(table.indexOf("## 4. control plane N=10\n"), table.indexOf("## 4. control plane N=100"));
        assertThat(n10).contains("time until all Ready").contains("operator heap after GC").doesNotContain("operator writes");
    }
}
