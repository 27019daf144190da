package io.cassandraoperator.api.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The body of every answer that is not a report (400, 401, 404, 405, 500, 503): what went wrong, in words. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentError(String message) {
}
