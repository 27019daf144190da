package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.GracePeriod;
import io.cassandraoperator.api.NodeLossSpec;

import java.time.Duration;

/**
 * A Cluster's {@code spec.nodeLoss} with its defaults: whether a member whose volume's Node is gone is replaced by
 * itself, and for how long the Node must be absent first.
 */
public record NodeLossPolicy(boolean replace, Duration gracePeriod) {
    public static final NodeLossPolicy DEFAULT = new NodeLossPolicy(true, GracePeriod.parse(NodeLossSpec.DEFAULT_GRACE_PERIOD));

    /** The schema refuses a malformed grace period; one that got past it anyway (an API server without CEL) falls back to the default. */
    public static NodeLossPolicy of(Cluster cluster) {
        NodeLossSpec spec = cluster.getSpec().getNodeLoss();
        if (spec == null) {
            return DEFAULT;
        }
        Duration grace = DEFAULT.gracePeriod();
        if (spec.getGracePeriod() != null) {
            try {
                grace = GracePeriod.parse(spec.getGracePeriod());
            } catch (IllegalArgumentException e) {
                grace = DEFAULT.gracePeriod();
            }
        }
        return new NodeLossPolicy(!Boolean.FALSE.equals(spec.getReplace()), grace);
    }
}
