package io.cassandraoperator.agent.threads;

import java.util.concurrent.ThreadFactory;

/** Threads of the agent's background work: daemons, so that they never keep the agent up once its main thread is done. */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    public static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
