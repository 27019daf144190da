package io.cassandraoperator.operator.act;

import io.cassandraoperator.operator.OperatorSettings;
import io.cassandraoperator.operator.plan.ScaleStep;

/**
 * What a membership step left to wait for.
 *
 * @param waitingFor a message for Progressing, or null when the step itself says it
 * @param poll       whether to look again after the poll interval (an agent operation runs)
 * @param step       the step as it turned out (a failure replaces the step that was tried)
 * @param pollSoon   whether the operation is one whose end the next step waits for (a decommission): looked at again
 *                   after {@link OperatorSettings#decommissionPollInterval()}
 */
public record StepOutcome(String waitingFor, boolean poll, ScaleStep step, boolean pollSoon) {
    StepOutcome(String waitingFor, boolean poll, ScaleStep step) {
        this(waitingFor, poll, step, false);
    }

    /** A step that needs no action this round (steady, waiting, or a failure only a user can resolve). */
    static StepOutcome nothingToDo(ScaleStep step) {
        return new StepOutcome(null, false, step);
    }
}
