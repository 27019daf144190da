package io.cassandraoperator.agent.cassandra;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Cassandra's refusals to start, as the agent acts on them: read from the output of one Cassandra process, and only
 * counted when that process then exited with the code Cassandra exits with for that refusal before it ever reached
 * NORMAL.
 * <p>
 * Why so narrow: Cassandra's output also carries text that CQL users choose (warnings echo partition keys and query
 * text, and a key may hold a line break), so a line that merely contains a refusal's words proves nothing. A refusal
 * is recognised only as the line Cassandra's own startup code prints (CassandraDaemon, 5.0: the exception's message at
 * the start of the line), only while this process has not reached NORMAL (the native transport, the only way in for
 * CQL clients, opens after that), and only when the process then exits with the refusal's exit code.
 */
public final class StartupRefusals {

    /** The refusals the agent acts on, with the line and the exit code Cassandra 5.0 prints and exits with. */
    public enum Refusal {
        /**
         * StorageService.prepareToJoin's ConfigurationException on a decommissioned node's data: CassandraDaemon.setup
         * prints its message to stderr, {@code "...\nFatal configuration error; unable to start server..."}, and exits 1.
         */
        DECOMMISSIONED("This node was decommissioned and will not rejoin the ring unless ", "", 1),
        /**
         * StorageService.checkForEndpointCollision's RuntimeException: CassandraDaemon.activate prints
         * {@code "Exception (java.lang.RuntimeException) encountered during startup: <message>"} and exits 3.
         */
        ADDRESS_IN_RING("Exception (java.lang.RuntimeException) encountered during startup: A node with address ",
                " already exists, cancelling join. ", 3);

        private final String lineStart;
        private final String lineContains;
        private final int exitCode;

        Refusal(String lineStart, String lineContains, int exitCode) {
            this.lineStart = lineStart;
            this.lineContains = lineContains;
            this.exitCode = exitCode;
        }

        boolean isPrintedAs(String line) {
            return line.startsWith(lineStart) && line.contains(lineContains);
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private final Set<Refusal> printed = EnumSet.noneOf(Refusal.class);
    private boolean reachedNormal;

    /** Each line Cassandra prints, in order. */
    public synchronized void observe(String cassandraOutputLine) {
        if (reachedNormal) {
            return;
        }
        for (Refusal refusal : Refusal.values()) {
            if (refusal.isPrintedAs(cassandraOutputLine)) {
                printed.add(refusal);
            }
        }
    }

    /** This process reported NORMAL: from now on its output may carry clients' text, and no line counts. */
    public synchronized void reachedNormal() {
        reachedNormal = true;
    }

    /** The refusal this process exited for, if it printed one before reaching NORMAL and exited with its code. */
    public synchronized Optional<Refusal> exitedFor(int exitCode) {
        if (reachedNormal) {
            return Optional.empty();
        }
        return printed.stream().filter(refusal -> refusal.exitCode == exitCode).findFirst();
    }
}
