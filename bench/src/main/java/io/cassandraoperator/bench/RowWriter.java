package io.cassandraoperator.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes the rows a benchmark needs at a fixed concurrency. A write that fails (a timeout on a loaded machine) is
 * written again, up to a few rounds, so that the data set is complete before anything is timed on it.
 */
final class RowWriter {
    private static final int CONCURRENCY = 32;
    private static final int ROUNDS = 5;

    private RowWriter() {
    }

    static void writeAll(CqlSession session, List<BoundStatement> rows) throws InterruptedException {
        List<BoundStatement> pending = rows;
        AtomicReference<Throwable> lastError = new AtomicReference<>();
        for (int round = 0; round < ROUNDS && !pending.isEmpty(); round++) {
            Queue<BoundStatement> failed = new ConcurrentLinkedQueue<>();
            Semaphore inFlight = new Semaphore(CONCURRENCY);
            for (BoundStatement row : pending) {
                inFlight.acquire();
                session.executeAsync(row).whenComplete((r, e) -> {
                    if (e != null) {
                        failed.add(row);
                        lastError.set(e);
                    }
                    inFlight.release();
                });
            }
            inFlight.acquire(CONCURRENCY);
            pending = List.copyOf(failed);
            if (!pending.isEmpty()) {
                System.out.printf("  %d of %d writes failed (%s); writing them again%n", pending.size(), rows.size(),
                        lastError.get().getMessage());
            }
        }
        if (!pending.isEmpty()) {
            throw new IllegalStateException(pending.size() + " of " + rows.size() + " rows not written after " + ROUNDS
                    + " rounds; last error: " + lastError.get().getMessage(), lastError.get());
        }
    }
}
