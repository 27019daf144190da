package io.cassandraoperator.agent.membership;

import io.cassandraoperator.agent.cassandra.CassandraNode;
import io.cassandraoperator.agent.threads.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps the seeds of a running Cassandra equal to what the members ConfigMap asks for (see
 * {@link Membership#seedsForCassandra}), without a restart: it rewrites cassandra.yaml, which Cassandra's seed provider
 * reads again, and has Cassandra's gossip reload its seeds over JMX. This is how a member being replaced under its old
 * address becomes a seed for everyone else while it streams its data back.
 */
public final class SeedRefresher {
    private static final Logger LOG = LoggerFactory.getLogger(SeedRefresher.class);

    private final Supplier<Membership> membership;
    private final BooleanSupplier dataJoinedRing;
    private final Consumer<List<String>> cassandraYamlWriter;
    private final CassandraNode node;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("seed-refresher"));
    private List<String> applied;

    /**
     * @param membership          reads the members ConfigMap as mounted now
     * @param cassandraYamlWriter renders cassandra.yaml with the given seeds
     * @param startedWith         the seeds Cassandra was started with
     */
    public SeedRefresher(Supplier<Membership> membership, BooleanSupplier dataJoinedRing,
                         Consumer<List<String>> cassandraYamlWriter, CassandraNode node, List<String> startedWith) {
        this.membership = membership;
        this.dataJoinedRing = dataJoinedRing;
        this.cassandraYamlWriter = cassandraYamlWriter;
        this.node = node;
        this.applied = List.copyOf(startedWith);
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::refresh, 2, 2, TimeUnit.SECONDS);
    }

    /** One round: a no-op unless the desired seeds changed; a failed reload is tried again next round. */
    void refresh() {
        Membership now;
        try {
            now = membership.get();
        } catch (RuntimeException e) {
            // A ConfigMap volume is swapped atomically, but a member's key may be missing for a moment: next round.
            LOG.debug("Cannot read the members ConfigMap now: {}", e.getMessage());
            return;
        }
        List<String> desired = now.seedsForCassandra(dataJoinedRing.getAsBoolean());
        if (desired.equals(applied)) {
            return;
        }
        cassandraYamlWriter.accept(desired);
        try {
            List<String> inUse = node.reloadSeeds();
            LOG.info("Seeds changed from {} to {} (members being replaced, seeds until they are done: {}); "
                    + "Cassandra's gossip reloaded them and now uses {}", applied, desired, now.othersBeingReplaced(), inUse);
            applied = desired;
        } catch (Exception e) {
            LOG.debug("Cassandra did not reload its seeds yet ({}); trying again", e.getMessage());
        }
    }
}
