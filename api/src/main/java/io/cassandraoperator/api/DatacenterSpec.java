package io.cassandraoperator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
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
public class DatacenterSpec {
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
