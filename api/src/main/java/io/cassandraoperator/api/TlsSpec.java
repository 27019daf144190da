package io.cassandraoperator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Encryption of the cluster's traffic with certificates from a CA the operator generates per Cluster. No CRD default
 * on {@code enabled}: an absent field is decided by the operator (on for a Cluster it creates, off for one whose
 * members already run in plaintext), since a schema default would also apply to every stored Cluster.
 */
// Fields a newer CRD adds must not stop an older operator: the API server prunes, this ignores.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
// With the defaults filled in: renewBeforeDays 400 alone would renew the default 365-day certificates at every round.
@ValidationRule(value = "(has(self.renewBeforeDays) ? self.renewBeforeDays : " + TlsSpec.DEFAULT_RENEW_BEFORE_DAYS
        + ") < (has(self.validityDays) ? self.validityDays : " + TlsSpec.DEFAULT_VALIDITY_DAYS + ")",
        message = "renewBeforeDays must be less than validityDays (defaults 30 and 365): a certificate would be renewed as soon as it is issued")
public class TlsSpec {
    public static final int DEFAULT_VALIDITY_DAYS = 365;
    public static final int DEFAULT_RENEW_BEFORE_DAYS = 30;

    /** Whether CQL clients must use TLS. */
    public enum ClientPolicy {
        @JsonProperty("required") REQUIRED,
        @JsonProperty("optional") OPTIONAL
    }

    @JsonPropertyDescription("Encrypt internode traffic (mutual TLS with certificates from the cluster CA) and CQL. Unset: on for a new"
            + " Cluster, off for one whose members already run without TLS (turning it on for those needs a rolling migration"
            + " the operator does not do yet, so that change is refused).")
    private Boolean enabled;

    @JsonPropertyDescription("CQL clients: required (default; plaintext CQL is refused) or optional (TLS and plaintext both accepted,"
            + " for a migration period).")
    private ClientPolicy client;

    @Min(1)
    @Max(3650)
    @JsonPropertyDescription("Validity of the member certificates in days (default " + DEFAULT_VALIDITY_DAYS + "); the cluster CA is"
            + " valid five times as long.")
    private Integer validityDays;

    @Min(1)
    @Max(3649)
    @JsonPropertyDescription("A member certificate is issued anew this many days before it expires (default "
            + DEFAULT_RENEW_BEFORE_DAYS + ").")
    private Integer renewBeforeDays;

    public Boolean getEnabled() { return enabled; }
    public void setEnabled(Boolean enabled) { this.enabled = enabled; }
    public ClientPolicy getClient() { return client; }
    public void setClient(ClientPolicy client) { this.client = client; }
    public Integer getValidityDays() { return validityDays; }
    public void setValidityDays(Integer validityDays) { this.validityDays = validityDays; }
    public Integer getRenewBeforeDays() { return renewBeforeDays; }
    public void setRenewBeforeDays(Integer renewBeforeDays) { this.renewBeforeDays = renewBeforeDays; }
}
