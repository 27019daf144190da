package io.cassandraoperator.operator.plan;

/**
 * Why a rack's members restart, one at a time: every rolling restart names at least one. The name (in PascalCase) is
 * what the RollingRestart Event, the operator's log line and the {@code reason} tag of
 * {@code cassandra_operator_rolling_restarts_total} say.
 */
public enum RestartReason {
    /** {@code spec.version} changed: the image, hence the Cassandra release, is another. */
    VERSION("Version"),
    /** The rack's {@code resources} changed (and with them the heap the agent gives Cassandra). */
    RESOURCES("Resources"),
    /** The {@code jvm.options} key of the rack's {@code configMapName} ConfigMap changed. */
    JVM_OPTIONS("JvmOptions"),
    /** Any other key of the rack's {@code configMapName} ConfigMap changed (cassandra.yaml), or the ConfigMap appeared. */
    CONFIGURATION("Configuration"),
    /** {@code spec.forceRedeploymentReason} changed: a user asked for the restart; the text says why. */
    FORCED("Forced"),
    /**
     * Another part of the pod template changed (placement, annotations, the template a newer operator builds), none of
     * the above.
     */
    POD_TEMPLATE("PodTemplate");

    private final String tag;

    RestartReason(String tag) {
        this.tag = tag;
    }

    /** The name in Events, logs and the metric's tag. */
    public String tag() {
        return tag;
    }
}
