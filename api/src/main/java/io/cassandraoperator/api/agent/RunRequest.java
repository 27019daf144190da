package io.cassandraoperator.api.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The body of a {@code POST} that starts a run: the operator's id for it. The agent starts nothing when the run with
 * that id runs or finished, so a restarted operator asking again under the recorded id never runs it twice.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunRequest(String id) {
}
