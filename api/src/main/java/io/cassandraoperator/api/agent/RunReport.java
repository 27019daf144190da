package io.cassandraoperator.api.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One run of a repeatable operation ({@link io.cassandraoperator.api.Contract.AgentApi#CLEANUP},
 * {@link io.cassandraoperator.api.Contract.AgentApi#REPAIR}): the operator's id for the run, its state, Cassandra's
 * message on FAILED, and the node's load (Cassandra's LoadString and bytes) before and after; a load is null when
 * the agent could not read it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunReport(String id, OperationState state, String message, String loadBefore, Long loadBytesBefore,
                        String loadAfter, Long loadBytesAfter) {

    public static RunReport notStarted(String id) {
        return new RunReport(id, OperationState.NOT_STARTED, null, null, null, null, null);
    }

    public static RunReport running(String id, String loadBefore, Long loadBytesBefore) {
        return new RunReport(id, OperationState.RUNNING, null, loadBefore, loadBytesBefore, null, null);
    }

    /** This run finished: its outcome, Cassandra's message on FAILED, the load after (both null when unknown). */
    public RunReport finished(OperationState outcome, String failure, String loadAfter, Long loadBytesAfter) {
        return new RunReport(id, outcome, failure, loadBefore, loadBytesBefore, loadAfter, loadBytesAfter);
    }
}
