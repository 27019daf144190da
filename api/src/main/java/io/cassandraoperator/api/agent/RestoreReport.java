package io.cassandraoperator.api.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** One member's restore run as its agent reports it: the state, the failure's message, files and bytes loaded. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RestoreReport(String id, OperationState state, String message, Integer files, Long bytes) {

    public static RestoreReport notStarted(String id) {
        return new RestoreReport(id, OperationState.NOT_STARTED, null, null, null);
    }
}
