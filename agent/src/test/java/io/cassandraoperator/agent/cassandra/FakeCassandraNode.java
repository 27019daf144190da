package io.cassandraoperator.agent.cassandra;

import io.cassandraoperator.api.agent.NodeStatus;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** A node whose operation mode the test sets; its decommission behaves like Cassandra's: LEAVING, then DECOMMISSIONED. */
public final class FakeCassandraNode implements CassandraNode {
    public volatile String mode = "NORMAL";
    public volatile RuntimeException refusal;
    public final CountDownLatch releaseDecommission = new CountDownLatch(1);
    public final AtomicInteger decommissionCalls = new AtomicInteger();
    public final AtomicInteger cleanupCalls = new AtomicInteger();
    public final AtomicInteger repairCalls = new AtomicInteger();
    public final AtomicInteger seedReloads = new AtomicInteger();
    public final AtomicInteger sslReloads = new AtomicInteger();
    public volatile RuntimeException reloadFailure;
    /** While set, a cleanup or repair blocks until it is counted down. */
    public volatile CountDownLatch holdOperation;
    public volatile RuntimeException operationFailure;
    public volatile long loadBytes = 2048;
    /** While set, {@link #status()} blocks until it is counted down, as a JMX call to a stuck Cassandra does. */
    public volatile CountDownLatch holdStatus;

    @Override
    public Optional<String> operationMode() {
        return Optional.ofNullable(mode);
    }

    @Override
    public NodeStatus status() throws NodeUnreachableException {
        CountDownLatch hold = holdStatus;
        if (hold != null) {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (mode == null) {
            throw new NodeUnreachableException("Cassandra is not reachable over JMX: Connection refused", null);
        }
        return new NodeStatus(mode, "host-id", "10.96.0.10", List.of("10.96.0.10"), List.of(), List.of(), List.of(),
                "1 KiB");
    }

    @Override
    public void decommission() throws Exception {
        decommissionCalls.incrementAndGet();
        if (refusal != null) {
            throw refusal;
        }
        mode = "LEAVING";
        releaseDecommission.await();
        mode = "DECOMMISSIONED";
    }

    @Override
    public void drain() {
        mode = "DRAINED";
    }

    @Override
    public void reloadSslCertificates() {
        sslReloads.incrementAndGet();
    }

    @Override
    public List<String> reloadSeeds() {
        seedReloads.incrementAndGet();
        if (reloadFailure != null) {
            throw reloadFailure;
        }
        return List.of();
    }

    @Override
    public void cleanupAllKeyspaces() throws InterruptedException {
        cleanupCalls.incrementAndGet();
        holdAndMaybeFail();
    }

    @Override
    public void repairAllKeyspaces() throws InterruptedException {
        repairCalls.incrementAndGet();
        holdAndMaybeFail();
    }

    @Override
    public void repairKeyspace(String keyspace) throws InterruptedException {
        repairCalls.incrementAndGet();
        holdAndMaybeFail();
    }

    @Override
    public Load load() throws NodeUnreachableException {
        if (mode == null) {
            throw new NodeUnreachableException("Cassandra is not reachable over JMX: Connection refused", null);
        }
        return new Load((loadBytes / 1024) + " KiB", loadBytes);
    }

    private void holdAndMaybeFail() throws InterruptedException {
        CountDownLatch hold = holdOperation;
        if (hold != null) {
            hold.await();
        }
        if (operationFailure != null) {
            throw operationFailure;
        }
    }
}
