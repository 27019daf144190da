package io.cassandraoperator.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cassandraoperator.agent.OperationReport.State;

/**
 * One run of a repeatable operation (cleanup, repair) as the API reports it: the operator's id for the run, its
 * state, Cassandra's message on FAILED, and the node's load (Cassandra's LoadString and bytes) before and after.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunReport(String id, State state, String message, String loadBefore, Long loadBytesBefore,
                        String loadAfter, Long loadBytesAfter) {

    public static RunReport notStarted(String id) {
        return new RunReport(id, State.NOT_STARTED, null, null, null, null, null);
    }

    static RunReport running(String id, CassandraNode.Load before) {
        return new RunReport(id, State.RUNNING, null, before.text(), before.bytes(), null, null);
    }

    RunReport finished(State outcome, String failure, CassandraNode.Load after) {
        return new RunReport(id, outcome, failure, loadBefore, loadBytesBefore,
                after == null ? null : after.text(), after == null ? null : after.bytes());
    }
}
