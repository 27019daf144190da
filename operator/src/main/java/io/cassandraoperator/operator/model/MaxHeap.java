package io.cassandraoperator.operator.model;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Cassandra's maximum heap from the container's memory limit: a quarter of it, so off-heap structures, page cache and
 * the agent fit in the rest; at least 256M (Cassandra does not start well below), at most 8G (larger heaps pause long).
 */
public final class MaxHeap {
    public static final long MIN_MIB = 256;
    public static final long MAX_MIB = 8 * 1024;
    public static final String WITHOUT_LIMIT = "512M";
    private static final BigDecimal MIB = BigDecimal.valueOf(1024L * 1024L);

    private MaxHeap() {
    }

    public static String of(ResourceRequirements resources) {
        Quantity limit = resources == null || resources.getLimits() == null ? null : resources.getLimits().get("memory");
        if (limit == null) {
            return WITHOUT_LIMIT;
        }
        long quarterMib = Quantity.getAmountInBytes(limit).divide(MIB.multiply(BigDecimal.valueOf(4)), 0, RoundingMode.FLOOR).longValue();
        long mib = Math.max(MIN_MIB, Math.min(MAX_MIB, quarterMib));
        return mib % 1024 == 0 ? (mib / 1024) + "G" : mib + "M";
    }
}
