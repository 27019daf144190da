package io.cassandraoperator.local.e2e;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The end-to-end tests' data: table e2e.rows (RF 3 in dc1), row {@code id} holding {@code "value-" + id}. */
final class RowsTable {
    private RowsTable() {
    }

    static void create(CqlSession session) {
        session.execute("CREATE KEYSPACE e2e WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3}");
        session.execute("CREATE TABLE e2e.rows (id int PRIMARY KEY, value text)");
        assertThat(session.checkSchemaAgreement()).isTrue();
    }

    static PreparedStatement prepareInsert(CqlSession session) {
        return session.prepare("INSERT INTO e2e.rows (id, value) VALUES (?, ?)");
    }

    /**
     * Rows 0 to {@code rows - 1} at QUORUM, 64 in flight; every write must be acknowledged. A write that times out is
     * sent again (up to 5 times; the insert is idempotent): on two cores shared with other Cassandra JVMs a replica
     * is sometimes too slow to answer within the write timeout, which says nothing about the cluster under test.
     */
    static void write(CqlSession session, int rows) throws InterruptedException {
        write(session, 0, rows);
    }

    /** Rows {@code from} to {@code to - 1}, as {@link #write(CqlSession, int)} writes them. */
    static void write(CqlSession session, int from, int to) throws InterruptedException {
        PreparedStatement insert = prepareInsert(session);
        Semaphore inFlight = new Semaphore(64);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int id = from; id < to && failure.get() == null; id++) {
            inFlight.acquire();
            insert(session, insert, id, 1, inFlight, failure);
        }
        inFlight.acquire(64);
        assertThat(failure.get()).isNull();
    }

    private static void insert(CqlSession session, PreparedStatement insert, int id, int attempt, Semaphore inFlight,
            AtomicReference<Throwable> failure) {
        session.executeAsync(insert.bind(id, "value-" + id).setConsistencyLevel(ConsistencyLevel.QUORUM))
                .whenComplete((result, error) -> {
                    if (error instanceof WriteTimeoutException && attempt < 5) {
                        insert(session, insert, id, attempt + 1, inFlight, failure);
                        return;
                    }
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                    inFlight.release();
                });
    }

    /** The ids of every row read at that consistency; each row's value must be its id's. */
    static Set<Integer> readIds(CqlSession session, ConsistencyLevel consistency) {
        Set<Integer> ids = new HashSet<>();
        for (Row row : session.execute(SimpleStatement.newInstance("SELECT id, value FROM e2e.rows")
                .setConsistencyLevel(consistency).setPageSize(1000))) {
            assertThat(row.getString("value")).isEqualTo("value-" + row.getInt("id"));
            ids.add(row.getInt("id"));
        }
        return ids;
    }
}
