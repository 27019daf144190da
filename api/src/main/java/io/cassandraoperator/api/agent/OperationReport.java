package io.cassandraoperator.api.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The state of a one-off node operation ({@code GET} and {@code POST} of
 * {@link io.cassandraoperator.api.Contract.AgentApi#DECOMMISSION}); {@code message} is Cassandra's own on FAILED.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record OperationReport(OperationState state, String message) {

    public static OperationReport of(OperationState state) {
        return new OperationReport(state, null);
    }
}
