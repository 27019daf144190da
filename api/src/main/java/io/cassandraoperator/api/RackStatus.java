package io.cassandraoperator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.ArrayList;
import java.util.List;

// Fields a newer CRD adds must not stop an older operator: the API server prunes, this ignores.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RackStatus {
    @JsonPropertyDescription("Current number of members of the rack.")
    private Integer members;

    @JsonPropertyDescription("Number of ready members of the rack.")
    private Integer readyMembers;

    @JsonPropertyDescription("Rook's rack conditions (MemberLeaving while a member decommissions).")
    private List<RackCondition> conditions = new ArrayList<>();

    public RackStatus() {
    }

    public RackStatus(int members, int readyMembers) {
        this.members = members;
        this.readyMembers = readyMembers;
    }

    public Integer getMembers() { return members; }
    public void setMembers(Integer members) { this.members = members; }
    public Integer getReadyMembers() { return readyMembers; }
    public void setReadyMembers(Integer readyMembers) { this.readyMembers = readyMembers; }
    public List<RackCondition> getConditions() { return conditions; }
    public void setConditions(List<RackCondition> conditions) { this.conditions = conditions; }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class RackCondition {
        public static final String MEMBER_LEAVING = "MemberLeaving";

        private String type;
        private String status;

        public RackCondition() {
        }

        public RackCondition(String type, String status) {
            this.type = type;
            this.status = status;
        }

        public String getType() { return type; }
        public void setType(String type) { this.type = type; }
        public String getStatus() { return status; }
        public void setStatus(String status) { this.status = status; }
    }
}
