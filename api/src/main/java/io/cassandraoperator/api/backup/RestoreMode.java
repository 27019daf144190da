package io.cassandraoperator.api.backup;

/** How a Restore loads the backup. */
public enum RestoreMode {
    /** The chosen tables of the backed-up Cluster, imported on every member while it serves. */
    InPlace
}
