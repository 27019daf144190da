package io.cassandraoperator.operator;

import io.cassandraoperator.api.EventReason;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OperatorMetricsTest {
    @Test
    void everyRecordedDecisionIsCountedByTypeAndReason() {
        try (OperatorMetrics metrics = new OperatorMetrics()) {
            OperatorMetrics.countEvent(EventReason.Type.NORMAL.value(), EventReason.DecommissionStarted.name());
            OperatorMetrics.countEvent(EventReason.Type.NORMAL.value(), EventReason.DecommissionStarted.name());
            OperatorMetrics.countEvent(EventReason.Type.WARNING.value(), EventReason.VersionDowngradeRefused.name());

            assertThat(metrics.scrape())
                    .contains("cassandra_operator_events_total{reason=\"DecommissionStarted\",type=\"Normal\"} 2.0")
                    .contains("cassandra_operator_events_total{reason=\"VersionDowngradeRefused\",type=\"Warning\"} 1.0")
                    .contains("jvm_memory_used_bytes");
        }
    }
}
