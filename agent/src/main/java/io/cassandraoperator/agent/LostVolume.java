package io.cassandraoperator.agent;

/**
 * Recognises a member whose disk was lost under a pod that restarted: the volume never joined the ring (no
 * {@link VolumeMarker#JOINED}), yet Cassandra refuses to start because the ring already knows the member's address.
 * Cassandra refuses so when it would bootstrap under an address the ring knows, or when the volume's host ID is not the
 * one the ring knows for it; the marker, written once Cassandra reached NORMAL on the volume, rules the latter out, so
 * the volume holds nothing the ring needs. Not while replacing: then the refusal cannot mean a lost disk.
 */
final class LostVolume {
    /** Cassandra's startup error (StorageService.checkForEndpointCollision, Cassandra 4 and 5). */
    static final String ADDRESS_IN_RING_REFUSAL = "already exists, cancelling join";

    private LostVolume() {
    }

    static boolean shows(String cassandraOutputLine, boolean volumeJoined, boolean replacing) {
        return !volumeJoined && !replacing && cassandraOutputLine.contains(ADDRESS_IN_RING_REFUSAL);
    }
}
