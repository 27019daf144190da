package io.cassandraoperator.agent;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The state of a node operation as the API reports it; {@code message} is Cassandra's own on FAILED. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OperationReport(State state, String message) {

    public enum State { NOT_STARTED, RUNNING, DONE, FAILED }

    public static OperationReport of(State state) {
        return new OperationReport(state, null);
    }
}
