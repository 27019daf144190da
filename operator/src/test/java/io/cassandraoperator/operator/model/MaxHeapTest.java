package io.cassandraoperator.operator.model;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MaxHeapTest {
    @ParameterizedTest
    @CsvSource({"2Gi,512M", "4Gi,1G", "6Gi,1536M", "512Mi,256M", "1G,256M", "64Gi,8G", "32Gi,8G", "3000Mi,750M"})
    void aQuarterOfTheMemoryLimitBetween256MAnd8G(String limit, String heap) {
        assertThat(MaxHeap.of(new ResourceRequirementsBuilder().withLimits(Map.of("memory", new Quantity(limit))).build())).isEqualTo(heap);
    }

    @Test
    void withoutAMemoryLimit512M() {
        assertThat(MaxHeap.of(null)).isEqualTo("512M");
        assertThat(MaxHeap.of(new ResourceRequirementsBuilder().withRequests(Map.of("memory", new Quantity("16Gi"))).build())).isEqualTo("512M");
    }
}
