package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.EventReason;

/**
 * A change the operator will not make, with its reason (the reason of its Warning Event and of the conditions it sets)
 * and a message for the user.
 */
public record Refusal(EventReason reason, String message) {
}
