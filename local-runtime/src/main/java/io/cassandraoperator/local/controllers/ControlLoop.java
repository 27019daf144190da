package io.cassandraoperator.local.controllers;

import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A level-triggered control loop: {@link #reconcile()} looks at the whole state and takes the next steps. It runs on one
 * thread, after any change it is told of (bursts coalesce into one run) and every {@code resyncMillis} in any case,
 * so a step that failed or raced with a stale cache is simply taken again on a later run.
 */
public abstract class ControlLoop implements AutoCloseable {
    private final Logger log = LoggerFactory.getLogger(getClass());
    private final ScheduledExecutorService executor;
    private final AtomicBoolean queued = new AtomicBoolean();
    /** Changes seen before start (while the caches fill) must not run a loop on a half-filled cache. */
    private volatile boolean started;
    private final long resyncMillis;

    protected ControlLoop(String name, long resyncMillis) {
        this.resyncMillis = resyncMillis;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        started = true;
        executor.scheduleWithFixedDelay(this::runOnce, 0, resyncMillis, TimeUnit.MILLISECONDS);
    }

    /** Asks for a run soon. */
    public void trigger() {
        if (started && queued.compareAndSet(false, true)) {
            executor.execute(this::runOnce);
        }
    }

    private void runOnce() {
        queued.set(false);
        try {
            reconcile();
        } catch (KubernetesClientException e) {
            log.debug("reconcile step refused by the API ({}); retried on the next run", e.getMessage());
        } catch (RuntimeException e) {
            log.warn("reconcile failed; retried on the next run", e);
        }
    }

    protected abstract void reconcile();

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
