package io.cassandraoperator.api.backup;

/** Where a Backup stands. */
public enum BackupPhase {
    /** Not started: the operator has not yet asked any member to snapshot. */
    Pending,
    /** The members snapshotted (or are being asked to) and upload. */
    Running,
    /** Every member's manifest is stored, and with it every file it names. */
    Completed,
    /** Stopped for the reason in the Failed condition; nothing of the Cluster was changed. */
    Failed;

    public boolean finished() {
        return this == Completed || this == Failed;
    }
}
