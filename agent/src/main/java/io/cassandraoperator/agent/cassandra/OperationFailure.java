package io.cassandraoperator.agent.cassandra;

/** The message to report for a failed call: Cassandra's own, which JMX wraps in one or more exceptions. */
public final class OperationFailure {
    private OperationFailure() {
    }

    public static String message(Throwable failure) {
        Throwable deepest = failure;
        String message = failure.getMessage();
        for (Throwable cause = failure.getCause(); cause != null && cause != deepest; cause = cause.getCause()) {
            deepest = cause;
            if (cause.getMessage() != null) {
                message = cause.getMessage();
            }
        }
        return message != null ? message : deepest.getClass().getName();
    }
}
