package io.cassandraoperator.operator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OperatorMetricsTest {
    @Test
    void everyRecordedDecisionIsCountedByTypeAndReason() {
        try (OperatorMetrics metrics = new OperatorMetrics()) {
            OperatorMetrics.countEvent(ClusterEvents.NORMAL, "DecommissionStarted");
            OperatorMetrics.countEvent(ClusterEvents.NORMAL, "DecommissionStarted");
            OperatorMetrics.countEvent(ClusterEvents.WARNING, "VersionDowngradeRefused");

            assertThat(metrics.scrape())
                    .contains("cassandra_operator_events_total{reason=\"DecommissionStarted\",type=\"Normal\"} 2.0")
                    .contains("cassandra_operator_events_total{reason=\"VersionDowngradeRefused\",type=\"Warning\"} 1.0")
                    .contains("jvm_memory_used_bytes");
        }
    }
}
