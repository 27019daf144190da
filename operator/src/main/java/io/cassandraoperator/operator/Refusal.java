package io.cassandraoperator.operator;

/** A change the operator will not make, with the reason (a CamelCase condition reason) and a message for the user. */
record Refusal(String reason, String message) {
}
