package io.cassandraoperator.api.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The body of a 409 to a run's {@code POST}: another run of that operation is still running (one at a time). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BusyAnswer(String message, RunReport running) {
}
