package io.cassandraoperator.api;

/**
 * Every reason the operator gives an Event on a Cluster, with its Event type: the same name appears as the Event's
 * reason, in the operator's log line for the decision and as the {@code reason} tag of
 * {@code cassandra_operator_events_total}. A refusal's reason is also the reason of the conditions it sets.
 */
public enum EventReason {
    /** A rack's StatefulSet went up by one: the next member starts at its already allocated address. */
    MemberAdded(Type.NORMAL),
    /** The decommission record (intent) was written on the member Service of a rack's highest member. */
    DecommissionStarted(Type.NORMAL),
    /** Cassandra reported the member DECOMMISSIONED: it left the ring and its data lives on the others. */
    DecommissionFinished(Type.NORMAL),
    /** Cassandra refused or aborted a decommission; the member stays and serves. */
    DecommissionFailed(Type.WARNING),
    /**
     * A member Service says its decommission finished, but its agent does not confirm it (a label copied, set by hand
     * or restored from a backup): nothing is removed.
     */
    DecommissionUnconfirmed(Type.WARNING),
    /** The spec wants a member again whose decommission had failed; its records were cleared. */
    DecommissionCancelled(Type.NORMAL),
    DecommissionRetried(Type.NORMAL),
    /** A decommissioned member's pod is gone and its claim and Service were deleted. */
    MemberRemoved(Type.NORMAL),
    /** A member that was there before a scale-out dropped the data of the ranges it handed over. */
    CleanupFinished(Type.NORMAL),
    /** Cassandra failed the cleanup; the member is not retried until the failure record is removed. */
    CleanupFailed(Type.WARNING),
    /** A member lost its disk or Node and is being replaced on an empty disk under its own address. */
    ReplacementStarted(Type.WARNING),
    /**
     * No Node satisfies the node affinity of a member's host-pinned volume (confirmed by a live read): the grace period
     * starts, after which the member is replaced unless the Node comes back (or, with spec.nodeLoss.replace false, only
     * reported).
     */
    NodeAbsent(Type.WARNING),
    /** The Node of a member's volume came back (or the member is ready again) before its replacement started: cancelled. */
    NodeReturned(Type.NORMAL),
    /**
     * A member would be replaced, but no other replica can hold its data (fewer than two other members ready, or a
     * replication factor below 2): nothing is touched.
     */
    ReplacementRefused(Type.WARNING),
    /** A replaced member streamed its data back, was repaired and is ready. */
    ReplacementFinished(Type.NORMAL),
    /**
     * A member that never reached NORMAL on its volume is stopped and its volume emptied: its bootstrap cannot finish
     * (a stream source must be replaced) or the spec no longer wants it. It holds no data another replica lacks.
     */
    BootstrapAbandoned(Type.WARNING),
    /** An abandoned bootstrap's member is gone from the ring, its claims and Service deleted; it may come back fresh. */
    BootstrapAbandonFinished(Type.NORMAL),
    /** The repair after a replacement failed; the member serves but may miss writes made while it was away. */
    RepairFailed(Type.WARNING),
    /**
     * A rack's new pod template was written: its members restart one at a time. The message names the restart reasons
     * (the operator's {@code RestartReason}: version, resources, JVM options, configuration, forced, pod template).
     */
    RollingRestart(Type.NORMAL),
    /**
     * A rack's template was replaced although members are not ready: only pods of its newest revision were, so that
     * template kept them unready and the new one is its fix.
     */
    TemplateCorrected(Type.NORMAL),
    /**
     * A member's claim was raised to the rack's larger storage request: its StorageClass allows volume expansion, and a
     * StatefulSet's claim templates cannot change, so the operator writes the claim itself.
     */
    ClaimExpanded(Type.NORMAL),
    /**
     * A member pod stayed unready on a revision that is no longer its StatefulSet's update revision (the controller
     * does not replace it by itself); the pod was deleted, its claim kept, to be created from the current template.
     */
    StuckPodDeleted(Type.WARNING),
    /** A rack left the spec with no members; its StatefulSet was deleted. */
    RackRemoved(Type.NORMAL),
    /**
     * The Cluster is being deleted with {@code whenDeleted: Delete}: its members' pods are gone (confirmed on the
     * server) and their claims were deleted.
     */
    ClaimsDeleted(Type.NORMAL),
    /** The deletion cleanup finished: claims, member Services and Secrets are gone and the finalizer was removed. */
    DeletionCleanupFinished(Type.NORMAL),
    /**
     * The deletion cleanup did not finish within its bound: the finalizer was removed anyway so that the deletion is
     * not blocked forever; the message names every object left behind.
     */
    DeletionCleanupAbandoned(Type.WARNING),
    /** The operator generated the cluster CA into {@code <cluster>-ca}. */
    CertificateAuthorityCreated(Type.NORMAL),
    /** A member certificate was issued (new member, changed address, renewal before expiry or a CA it was not signed by). */
    MemberCertificateIssued(Type.NORMAL),
    /** Refusal: {@code <cluster>-ca} holds no usable CA (missing keys, a key of another certificate, expired, not a CA). */
    CertificateAuthorityInvalid(Type.WARNING),
    /** Refusal: spec.tls.enabled differs from how the members run; switching needs a rolling migration not built yet. */
    TlsChangeRefused(Type.WARNING),
    /** Refusal: the spec asks for Scylla, which this operator does not run. */
    UnsupportedMode(Type.WARNING),
    /** Refusal: the spec cannot be turned into members (a rack without a count or storage, ...). */
    InvalidSpec(Type.WARNING),
    /** Refusal: the datacenter name differs from the one the members were created with. */
    DatacenterRenameRefused(Type.WARNING),
    /** Refusal: the version is lower than the one the members run. */
    VersionDowngradeRefused(Type.WARNING),
    /** Refusal: a rack left the spec while it still has members. */
    RackRemovalRefused(Type.WARNING),
    /** Refusal: a rack's storage size differs from its members' claims (smaller: volumes cannot shrink; larger: their StorageClass cannot expand). */
    StorageSizeChangeRefused(Type.WARNING),
    /** A Backup's members were asked to snapshot under its tag; their uploads run. */
    BackupStarted(Type.NORMAL),
    /** Every member's manifest of a Backup is stored, after every file it names. */
    BackupCompleted(Type.NORMAL),
    /** A Backup stopped: its Cluster, credentials or store is missing or refused, or a member's part failed. */
    BackupFailed(Type.WARNING),
    /** A Restore's members were asked to load the backup's files of its tables. */
    RestoreStarted(Type.NORMAL),
    /** Every member imported the backup's files of the Restore's tables; no member was restarted. */
    RestoreCompleted(Type.NORMAL),
    /** A Restore stopped: its Backup is missing or not Completed, a stored file failed its checksum, or an import failed. */
    RestoreFailed(Type.WARNING),
    /** Refusal: fewer members than the replication factor would be left. */
    ScaleDownBelowReplicationFactor(Type.WARNING);

    /** The Event types Kubernetes knows. */
    public enum Type {
        NORMAL("Normal"), WARNING("Warning");

        private final String value;

        Type(String value) {
            this.value = value;
        }

        /** The Event's {@code type} field. */
        public String value() {
            return value;
        }
    }

    private final Type type;

    EventReason(Type type) {
        this.type = type;
    }

    public Type type() {
        return type;
    }
}
