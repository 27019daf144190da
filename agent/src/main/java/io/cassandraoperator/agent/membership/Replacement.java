package io.cassandraoperator.agent.membership;

import java.util.Optional;

/**
 * Whether this start replaces a dead member under its address: when a replacement is asked for and the data volume
 * never joined the ring. That covers an empty disk and also a replacement that a crash interrupted half-way (its
 * data is partial and it must resume as a replacement: without the option Cassandra would bootstrap it as a new node,
 * and refuse because the address belongs to the dead one). A volume that joined never starts as a replacement, and
 * Cassandra itself ignores {@code replace_address_first_boot} once its bootstrap completed.
 */
public final class Replacement {
    private Replacement() {
    }

    /** The address to replace, or empty for an ordinary start. */
    public static Optional<String> addressToReplace(Membership membership, VolumeMarker joined) {
        if (!membership.replaceRequested() || joined.exists()) {
            return Optional.empty();
        }
        return Optional.of(membership.broadcastAddress());
    }
}
