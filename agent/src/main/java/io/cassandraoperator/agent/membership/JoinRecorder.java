package io.cassandraoperator.agent.membership;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the {@link VolumeMarker#JOINED} marker once Cassandra first reports NORMAL on this data volume (told by
 * {@link io.cassandraoperator.agent.cassandra.NormalWatch}). From then on the member keeps its own address in its seed
 * list (see {@link Membership#seedsForCassandra}).
 */
public final class JoinRecorder implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(JoinRecorder.class);

    private final VolumeMarker joined;

    public JoinRecorder(VolumeMarker joined) {
        this.joined = joined;
    }

    @Override
    public void run() {
        if (!joined.exists()) {
            joined.write();
            LOG.info("Cassandra is NORMAL: recorded in {} that this data joined the ring", joined.file());
        }
    }
}
