package io.cassandraoperator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

// Fields a newer CRD adds must not stop an older operator: the API server prunes, this ignores.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterStatus {
    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("Members wanted in all racks.")
    private Integer members;

    @JsonPropertyDescription("Members ready in all racks.")
    private Integer readyMembers;

    @JsonPropertyDescription("Per rack: members and ready members, as in Rook.")
    private Map<String, RackStatus> racks = new TreeMap<>();

    @JsonPropertyDescription("The newest Cassandra version seen running on the members' data (a member pod's container"
            + " running or terminated); it never goes down. spec.version may be set back to it, not below.")
    @Pattern(VersionNumber.PATTERN)
    private String dataVersion;

    @JsonPropertyDescription("Per member pod: the Cassandra version its pod runs (its image's tag). During an upgrade some"
            + " members show the old version, some the new.")
    private Map<String, String> memberVersions;

    @JsonPropertyDescription("Members whose pod runs its rack's newest pod template; a rolling restart is done when this"
            + " equals members.")
    private Integer updatedMembers;

    @JsonPropertyDescription("Ready, Progressing and Degraded, each with a reason and a message.")
    private List<Condition> conditions = new ArrayList<>();

    public Long getObservedGeneration() { return observedGeneration; }
    public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
    public Integer getMembers() { return members; }
    public void setMembers(Integer members) { this.members = members; }
    public Integer getReadyMembers() { return readyMembers; }
    public void setReadyMembers(Integer readyMembers) { this.readyMembers = readyMembers; }
    public Map<String, RackStatus> getRacks() { return racks; }
    public void setRacks(Map<String, RackStatus> racks) { this.racks = racks; }
    public String getDataVersion() { return dataVersion; }
    public void setDataVersion(String dataVersion) { this.dataVersion = dataVersion; }
    public Map<String, String> getMemberVersions() { return memberVersions; }
    public void setMemberVersions(Map<String, String> memberVersions) { this.memberVersions = memberVersions; }
    public Integer getUpdatedMembers() { return updatedMembers; }
    public void setUpdatedMembers(Integer updatedMembers) { this.updatedMembers = updatedMembers; }
    public List<Condition> getConditions() { return conditions; }
    public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
}
