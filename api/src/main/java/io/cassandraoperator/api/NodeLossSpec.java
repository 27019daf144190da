package io.cassandraoperator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** What the operator does when the Node a member's local volume is pinned to disappears. */
// Fields a newer CRD adds must not stop an older operator: the API server prunes, this ignores.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeLossSpec {
    /** The grace period when none is set. */
    public static final String DEFAULT_GRACE_PERIOD = "5m";

    @JsonPropertyDescription("Replace a member on an empty disk by itself when no Node satisfies the node affinity of the member's "
            + "host-pinned volume for gracePeriod (default true). With false the operator only reports the loss; the label "
            + "cassandra.rook.io/replace on the member Service and the agent's lost-volume report still replace a member.")
    private Boolean replace;

    @Pattern(GracePeriod.PATTERN)
    @Size(max = 24)
    @ValidationRule(value = "duration(self) >= duration('" + GracePeriod.MINIMUM + "')",
            message = "gracePeriod must be at least " + GracePeriod.MINIMUM + ": a Node that is briefly missing must not cost a member its data")
    @JsonPropertyDescription("How long the Node of a member's volume must be absent, confirmed by reads of the API at both ends, before the "
            + "member is replaced; a Node that comes back within it cancels the replacement. Hours, minutes and seconds, e.g. 5m, "
            + "90s, 1h30m (default " + DEFAULT_GRACE_PERIOD + ", at least " + GracePeriod.MINIMUM + ").")
    private String gracePeriod;

    public Boolean getReplace() { return replace; }
    public void setReplace(Boolean replace) { this.replace = replace; }
    public String getGracePeriod() { return gracePeriod; }
    public void setGracePeriod(String gracePeriod) { this.gracePeriod = gracePeriod; }
}
