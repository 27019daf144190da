package io.cassandraoperator.agent.membership;

import io.cassandraoperator.agent.cassandra.CassandraNode;
import io.cassandraoperator.agent.cassandra.OperationMode;
import io.cassandraoperator.agent.threads.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Writes the {@link VolumeMarker#JOINED} marker once Cassandra first reports NORMAL on this data volume. From then on
 * the member keeps its own address in its seed list (see {@link Membership#seedsForCassandra}).
 */
public final class JoinRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(JoinRecorder.class);

    private final CassandraNode node;
    private final VolumeMarker joined;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("join-recorder"));

    public JoinRecorder(CassandraNode node, VolumeMarker joined) {
        this.node = node;
        this.joined = joined;
    }

    public void start() {
        if (joined.exists()) {
            scheduler.shutdown();
            return;
        }
        scheduler.scheduleWithFixedDelay(this::recordOnceNormal, 2, 2, TimeUnit.SECONDS);
    }

    void recordOnceNormal() {
        if (node.operationMode().filter(OperationMode.NORMAL::equals).isPresent()) {
            joined.write();
            LOG.info("Cassandra is NORMAL: recorded in {} that this data joined the ring", joined.file());
            scheduler.shutdown();
        }
    }
}
