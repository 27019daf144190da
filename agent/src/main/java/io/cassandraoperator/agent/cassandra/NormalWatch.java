package io.cassandraoperator.agent.cassandra;

import io.cassandraoperator.agent.threads.DaemonThreads;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Notices the first time this Cassandra process reports that it is a ring member (NORMAL, or a mode only a member
 * reaches) and tells its listeners, once. Every second: the end of startup bounds what the agent reads from
 * Cassandra's output ({@link StartupRefusals}).
 */
public final class NormalWatch {
    private final CassandraNode node;
    private final List<Runnable> listeners;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("normal-watch"));
    private boolean reported;

    public NormalWatch(CassandraNode node, List<Runnable> listeners) {
        this.node = node;
        this.listeners = List.copyOf(listeners);
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
    }

    synchronized void check() {
        if (reported || node.operationMode().filter(OperationMode::isRingMember).isEmpty()) {
            return;
        }
        reported = true;
        listeners.forEach(Runnable::run);
        scheduler.shutdown();
    }
}
