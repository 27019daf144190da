package io.cassandraoperator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.ArrayList;
import java.util.List;

// Fields a newer CRD adds must not stop an older operator: the API server prunes, this ignores.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.racks.all(r, self.racks.exists_one(o, o.name == r.name))",
        message = "rack names must be unique within the datacenter")
@ValidationRule(value = "oldSelf.racks.all(o, o.members == 0 || self.racks.exists(r, r.name == o.name))",
        message = "a rack can be removed only after its members were scaled to 0 (each is decommissioned first)")
@ValidationRule(value = DatacenterSpec.CLAIM_TEMPLATE_NAME_KEPT,
        message = "a rack's storage.volumeClaimTemplates[0].metadata.name cannot change: its members' claims are named after it"
                + " and a new name would be ignored. Set it back; of a rack's storage only a larger size can be asked for")
@ValidationRule(value = DatacenterSpec.STORAGE_CLASS_KEPT,
        message = "a rack's storage.volumeClaimTemplates[0].spec.storageClassName cannot change: the members' volumes exist"
                + " and would not move. Set it back; of a rack's storage only a larger size can be asked for")
public class DatacenterSpec {
    /** The claim template of the same rack before and after, when both have one. */
    private static final String SAME_RACK_TEMPLATES = "self.racks.all(r, oldSelf.racks.all(o, o.name != r.name"
            + " || !has(r.storage) || !has(r.storage.volumeClaimTemplates) || !has(o.storage) || !has(o.storage.volumeClaimTemplates)"
            + " || size(r.storage.volumeClaimTemplates) != 1 || size(o.storage.volumeClaimTemplates) != 1 || ";
    static final String CLAIM_TEMPLATE_NAME_KEPT = SAME_RACK_TEMPLATES
            + "(has(r.storage.volumeClaimTemplates[0].metadata) && has(r.storage.volumeClaimTemplates[0].metadata.name)"
            + " ? r.storage.volumeClaimTemplates[0].metadata.name : '')"
            + " == (has(o.storage.volumeClaimTemplates[0].metadata) && has(o.storage.volumeClaimTemplates[0].metadata.name)"
            + " ? o.storage.volumeClaimTemplates[0].metadata.name : '')))";
    static final String STORAGE_CLASS_KEPT = SAME_RACK_TEMPLATES
            + "(has(r.storage.volumeClaimTemplates[0].spec) && has(r.storage.volumeClaimTemplates[0].spec.storageClassName)"
            + " ? r.storage.volumeClaimTemplates[0].spec.storageClassName : '')"
            + " == (has(o.storage.volumeClaimTemplates[0].spec) && has(o.storage.volumeClaimTemplates[0].spec.storageClassName)"
            + " ? o.storage.volumeClaimTemplates[0].spec.storageClassName : '')))";

    @Required
    @Pattern(Names.DNS_LABEL)
    @Size(min = 1, max = 63)
    @ValidationRule(value = "self == oldSelf",
            message = "datacenter name is immutable: Cassandra cannot rename a datacenter; create a new datacenter instead")
    @JsonPropertyDescription("Name of the Cassandra datacenter (cassandra-rackdc.properties). It cannot change once the cluster exists.")
    private String name;

    @Required
    @Size(min = 1, max = 32)
    @JsonPropertyDescription("Racks of the datacenter; each is one StatefulSet.")
    private List<RackSpec> racks = new ArrayList<>();

    @Min(1)
    @Max(32)
    @JsonPropertyDescription("Highest replication factor the keyspaces use in this datacenter (default 3). The operator refuses to scale the datacenter below it.")
    private Integer replicationFactor;

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public List<RackSpec> getRacks() { return racks; }
    public void setRacks(List<RackSpec> racks) { this.racks = racks; }
    public Integer getReplicationFactor() { return replicationFactor; }
    public void setReplicationFactor(Integer replicationFactor) { this.replicationFactor = replicationFactor; }
}
