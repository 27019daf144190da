package io.cassandraoperator.api.backup;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.List;

/** What a Backup's and a Restore's status share: one run over the members of a Cluster. */
public abstract class RunStatus {
    @JsonPropertyDescription("Pending, Running, Completed or Failed.")
    private BackupPhase phase;
    @JsonPropertyDescription("When the operator asked the members (RFC 3339).")
    private String startTime;
    @JsonPropertyDescription("When the run completed or failed (RFC 3339).")
    private String endTime;
    @JsonPropertyDescription("The members asked to take part, written before the first is asked (a restarted operator asks the"
            + " same), each as its agent last reported: state, files and bytes.")
    private List<MemberBackupStatus> members = new ArrayList<>();
    @JsonPropertyDescription("Files of all members: in their snapshots for a backup, loaded for a restore.")
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
