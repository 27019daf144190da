package io.cassandraoperator.bench;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Benchmark 5: what the local runtime's userspace Service proxy costs a CQL client. One member is reached through its
 * ClusterIP (proxied to the pod) and through its pod IP (direct), in alternating runs (proxy, direct, direct, proxy) so
 * that the machine's noise falls on both; the median of each is compared. Three loads: prepared INSERTs and prepared
 * point SELECTs at a fixed concurrency, and bulk reads of wide partitions (16 KiB cells), the closest a client gets to
 * a stream. Every table has RF=3 on 3 members, so the member holds every row and reads at ONE are served locally.
 *
 * <p>What is not measured: Cassandra's own streaming (bootstrap, replacement) always goes between broadcast addresses,
 * the ClusterIPs, so it cannot be routed around the proxy without changing the cluster; the bulk read stands in for it.
 */
final class ProxyOverheadBench {
    private static final int CONCURRENCY = 32;
    private static final Duration RUN = Duration.ofSeconds(6);
    /** Cassandra's and the driver's JIT: the first seconds of a fresh node run at a fraction of its speed. */
    private static final Duration WARM_UP = Duration.ofSeconds(20);
    private static final int PAIRS = 5;
    /** Each bulk run reads the bulk table this many times (about 100 MB), long enough to time on a busy machine. */
    private static final int BULK_PASSES = 4;
    private static final int BULK_PARTITIONS = 16;
    private static final int BULK_ROWS = 100;
    private static final int BULK_CELL_BYTES = 16 * 1024;
    private static final int KEYS = 100_000;

    private final LocalRuntime runtime;

    ProxyOverheadBench(LocalRuntime runtime) {
        this.runtime = runtime;
    }

    List<Measurement> run(String member) throws InterruptedException {
        LocalRuntime.MemberAddresses addresses = runtime.addresses(member);
        var credentials = runtime.cqlCredentials(BringUpBench.CLUSTER);
        InetSocketAddress proxied = new InetSocketAddress(addresses.clusterIp(), 9042);
        InetSocketAddress direct = new InetSocketAddress(addresses.podIp(), 9042);
        System.out.printf("  %s: through the proxy %s, direct %s%n", member, proxied, direct);
        try (CqlSession setup = CqlSessions.all(List.of(proxied), credentials)) {
            CqlSessions.awaitMembersUp(setup, 3);
            createSchema(setup);
            loadBulk(setup);
        }
        try (CqlSession viaProxy = CqlSessions.pinned(proxied, credentials);
             CqlSession viaPodIp = CqlSessions.pinned(direct, credentials)) {
            String insert = "INSERT INTO bench.kv (id, v) VALUES (?, ?)";
            Function<PreparedStatement, BoundStatement> bindInsert =
                    ps -> ps.bind(ThreadLocalRandom.current().nextInt(KEYS), value(100));
            String select = "SELECT v FROM bench.kv WHERE id = ?";
            Function<PreparedStatement, BoundStatement> bindSelect = ps -> ps.bind(ThreadLocalRandom.current().nextInt(KEYS));
            Workload insertProxy = new Workload(viaProxy, insert, bindInsert);
            Workload insertDirect = new Workload(viaPodIp, insert, bindInsert);
            insertProxy.run(WARM_UP);
            insertDirect.run(WARM_UP);
            Pair writes = alternate("INSERTs/s", () -> insertProxy.run(RUN), () -> insertDirect.run(RUN));
            Workload selectProxy = new Workload(viaProxy, select, bindSelect);
            Workload selectDirect = new Workload(viaPodIp, select, bindSelect);
            selectProxy.run(WARM_UP);
            selectDirect.run(WARM_UP);
            Pair reads = alternate("SELECTs/s", () -> selectProxy.run(RUN), () -> selectDirect.run(RUN));
            bulkMegabytesPerSecond(viaProxy);
            bulkMegabytesPerSecond(viaPodIp);
            Pair bulk = alternate("bulk MB/s", () -> bulkMegabytesPerSecond(viaProxy), () -> bulkMegabytesPerSecond(viaPodIp));
            String bench = "5. proxy overhead";
            return List.of(
                    Measurement.count(bench, "INSERTs through ClusterIP (median)", writes.proxy, "1/s", null),
                    Measurement.count(bench, "INSERTs to pod IP (median)", writes.direct, "1/s", null),
                    Measurement.ratio(bench, "INSERT throughput proxy / direct", writes.proxy, writes.direct, 0.9, null),
                    Measurement.count(bench, "SELECTs through ClusterIP (median)", reads.proxy, "1/s", null),
                    Measurement.count(bench, "SELECTs to pod IP (median)", reads.direct, "1/s", null),
                    Measurement.ratio(bench, "SELECT throughput proxy / direct", reads.proxy, reads.direct, 0.9, null),
                    Measurement.count(bench, "bulk read through ClusterIP (median)", bulk.proxy, "MB/s", null),
                    Measurement.count(bench, "bulk read from pod IP (median)", bulk.direct, "MB/s", null),
                    Measurement.ratio(bench, "bulk read proxy / direct (for streaming)", bulk.proxy, bulk.direct, 0.9, null));
        }
    }

    private interface Run {
        double measure() throws InterruptedException;
    }

    private record Pair(double proxy, double direct) {
    }

    private static Pair alternate(String name, Run proxyRun, Run directRun) throws InterruptedException {
        List<Double> proxy = new ArrayList<>();
        List<Double> direct = new ArrayList<>();
        // Proxy, direct, direct, proxy, ...: a node still warming up gets faster run after run, and a fixed order
        // would hand that trend to whichever path always runs second.
        for (int i = 0; i < PAIRS; i++) {
            if (i % 2 == 0) {
                proxy.add(proxyRun.measure());
                direct.add(directRun.measure());
            } else {
                direct.add(directRun.measure());
                proxy.add(proxyRun.measure());
            }
        }
        System.out.printf("  %s: proxy %s, direct %s%n", name, rounded(proxy), rounded(direct));
        return new Pair(median(proxy), median(direct));
    }

    private static List<Long> rounded(List<Double> values) {
        return values.stream().map(Math::round).toList();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static void createSchema(CqlSession session) throws InterruptedException {
        CqlSessions.schemaChange(session, "CREATE KEYSPACE IF NOT EXISTS bench WITH replication ="
                + " {'class': 'SimpleStrategy', 'replication_factor': 3}");
        CqlSessions.schemaChange(session, "CREATE TABLE IF NOT EXISTS bench.kv (id int PRIMARY KEY, v blob)");
        CqlSessions.schemaChange(session, "CREATE TABLE IF NOT EXISTS bench.bulk (pk int, ck int, data blob, PRIMARY KEY (pk, ck))");
    }

    private static void loadBulk(CqlSession session) throws InterruptedException {
        PreparedStatement insert = session.prepare("INSERT INTO bench.bulk (pk, ck, data) VALUES (?, ?, ?)");
        List<BoundStatement> rows = new ArrayList<>();
        for (int pk = 0; pk < BULK_PARTITIONS; pk++) {
            for (int ck = 0; ck < BULK_ROWS; ck++) {
                // ALL: the measured member must hold every row, so that its reads at ONE are served locally.
                rows.add(insert.bind(pk, ck, value(BULK_CELL_BYTES)).setConsistencyLevel(ConsistencyLevel.ALL));
            }
        }
        RowWriter.writeAll(session, rows);
    }

    private static double bulkMegabytesPerSecond(CqlSession session) {
        long started = System.nanoTime();
        long bytes = 0;
        for (int pass = 0; pass < BULK_PASSES; pass++) {
            bytes += bulkPass(session);
        }
        return bytes / 1e6 / ((System.nanoTime() - started) / 1e9);
    }

    private static long bulkPass(CqlSession session) {
        long bytes = 0;
        for (int pk = 0; pk < BULK_PARTITIONS; pk++) {
            for (Row row : session.execute(SimpleStatement.newInstance("SELECT data FROM bench.bulk WHERE pk = ?", pk)
                    .setConsistencyLevel(ConsistencyLevel.ONE).setPageSize(50))) {
                bytes += row.getByteBuffer(0).remaining();
            }
        }
        long expected = (long) BULK_PARTITIONS * BULK_ROWS * BULK_CELL_BYTES;
        if (bytes != expected) {
            throw new IllegalStateException("bulk read returned " + bytes + " bytes, wrote " + expected);
        }
        return bytes;
    }

    private static ByteBuffer value(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return ByteBuffer.wrap(bytes);
    }

    /** One prepared statement on one session at a fixed concurrency: requests completed per second. */
    private static final class Workload {
        private final CqlSession session;
        private final PreparedStatement statement;
        private final Function<PreparedStatement, BoundStatement> bind;

        Workload(CqlSession session, String cql, Function<PreparedStatement, BoundStatement> bind) {
            this.session = session;
            this.statement = session.prepare(cql);
            this.bind = bind;
        }

        double run(Duration length) throws InterruptedException {
            Semaphore inFlight = new Semaphore(CONCURRENCY);
            AtomicLong done = new AtomicLong();
            AtomicLong failures = new AtomicLong();
            long started = System.nanoTime();
            long deadline = started + length.toNanos();
            while (System.nanoTime() < deadline) {
                inFlight.acquire();
                CompletionStage<AsyncResultSet> result = session.executeAsync(
                        bind.apply(statement).setConsistencyLevel(ConsistencyLevel.ONE));
                result.whenComplete((r, e) -> {
                    (e == null ? done : failures).incrementAndGet();
                    inFlight.release();
                });
            }
            inFlight.acquire(CONCURRENCY);
            if (failures.get() > 0) {
                System.out.printf("  %d requests failed in this run%n", failures.get());
            }
            return done.get() / ((System.nanoTime() - started) / 1e9);
        }
    }
}
