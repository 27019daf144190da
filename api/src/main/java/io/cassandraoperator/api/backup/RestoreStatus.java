package io.cassandraoperator.api.backup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.List;

@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RestoreStatus {
    @JsonPropertyDescription("Pending, Running, Completed or Failed (the Backup phases' meaning, for a restore).")
    private BackupPhase phase;
    @JsonPropertyDescription("When the members were asked (RFC 3339).")
    private String startTime;
    @JsonPropertyDescription("When the restore completed or failed (RFC 3339).")
    private String endTime;
    @JsonPropertyDescription("Per member, as its agent last reported: state, files and bytes loaded (bytesUploaded unused).")
    private List<MemberBackupStatus> members = new ArrayList<>();
    @JsonPropertyDescription("Files loaded on all members.")
    private Integer files;
    @JsonPropertyDescription("Failed, with the reason and a message saying what to fix.")
    private List<Condition> conditions = new ArrayList<>();

    public BackupPhase getPhase() { return phase; }
    public void setPhase(BackupPhase phase) { this.phase = phase; }
    public String getStartTime() { return startTime; }
    public void setStartTime(String startTime) { this.startTime = startTime; }
    public String getEndTime() { return endTime; }
    public void setEndTime(String endTime) { this.endTime = endTime; }
    public List<MemberBackupStatus> getMembers() { return members; }
    public void setMembers(List<MemberBackupStatus> members) { this.members = members; }
    public Integer getFiles() { return files; }
    public void setFiles(Integer files) { this.files = files; }
    public List<Condition> getConditions() { return conditions; }
    public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
}
