package io.cassandraoperator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;


/** Mirrors the StatefulSet field of the same name; only deletion is the user's choice, scale-down always removes a decommissioned member's claim. */
// Fields a newer CRD adds must not stop an older operator: the API server prunes, this ignores.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VolumeClaimRetentionPolicy {
    public enum Policy { @JsonProperty("Retain") RETAIN, @JsonProperty("Delete") DELETE }

    @JsonPropertyDescription("Retain (default) keeps every member's PersistentVolumeClaim after the Cluster is deleted; Delete removes them.")
    private Policy whenDeleted;

    public Policy getWhenDeleted() { return whenDeleted; }
    public void setWhenDeleted(Policy whenDeleted) { this.whenDeleted = whenDeleted; }
}
