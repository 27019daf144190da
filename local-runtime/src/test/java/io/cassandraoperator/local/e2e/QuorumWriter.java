package io.cassandraoperator.local.e2e;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Inserts rows at QUORUM, a few at a time (the machine is shared), until closed; remembers the acknowledged ids. */
final class QuorumWriter implements AutoCloseable {
    private static final int IN_FLIGHT = 4;
    private final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicInteger failures = new AtomicInteger();
    final AtomicReference<String> lastFailure = new AtomicReference<>();
    private final Thread thread;

    QuorumWriter(CqlSession session, Set<Integer> acknowledged) {
        PreparedStatement insert = RowsTable.prepareInsert(session);
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        thread = new Thread(() -> {
            for (int id = 0; running.get(); id++) {
                inFlight.acquireUninterruptibly();
                int row = id;
                // Idempotent (a plain INSERT of the same value): the driver may retry it on another coordinator.
                session.executeAsync(insert.bind(row, "value-" + row).setConsistencyLevel(ConsistencyLevel.QUORUM)
                                .setIdempotent(true))
                        .whenComplete((result, error) -> {
                            if (error == null) {
                                acknowledged.add(row);
                            } else {
                                failures.incrementAndGet();
                                lastFailure.set(error.toString());
                            }
                            inFlight.release();
                        });
            }
            inFlight.acquireUninterruptibly(IN_FLIGHT);
        }, "quorum-writer");
        thread.start();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(Duration.ofMinutes(2).toMillis());
    }
}
