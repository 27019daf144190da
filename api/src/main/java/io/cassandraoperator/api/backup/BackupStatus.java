package io.cassandraoperator.api.backup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.List;

// Fields a newer CRD adds must not stop an older operator: the API server prunes, this ignores.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupStatus {
    @JsonPropertyDescription("Pending, Running, Completed or Failed.")
    private BackupPhase phase;
    @JsonPropertyDescription("When the operator asked the members to snapshot (RFC 3339).")
    private String startTime;
    @JsonPropertyDescription("When the backup completed or failed (RFC 3339).")
    private String endTime;
    @JsonPropertyDescription("The snapshot tag every member took, which names the backup's files on the members' disks.")
    private String snapshotTag;
    @JsonPropertyDescription("The members asked to take part, written before the first is asked: a restarted operator asks the same.")
    private List<MemberBackupStatus> members = new ArrayList<>();
    @JsonPropertyDescription("Files in all members' snapshots.")
    private Integer files;
    @JsonPropertyDescription("Bytes uploaded by this backup; against bytesReferenced it shows what storing files once saved.")
    private Long bytesUploaded;
    @JsonPropertyDescription("Bytes of all files the backup's manifests reference.")
    private Long bytesReferenced;
    @JsonPropertyDescription("Where the manifests are: s3://<bucket>/<key prefix of the members' manifests>.")
    private String manifestLocation;
    @JsonPropertyDescription("Failed, with the reason and a message saying what to fix.")
    private List<Condition> conditions = new ArrayList<>();

    public BackupPhase getPhase() { return phase; }
    public void setPhase(BackupPhase phase) { this.phase = phase; }
    public String getStartTime() { return startTime; }
    public void setStartTime(String startTime) { this.startTime = startTime; }
    public String getEndTime() { return endTime; }
    public void setEndTime(String endTime) { this.endTime = endTime; }
    public String getSnapshotTag() { return snapshotTag; }
    public void setSnapshotTag(String snapshotTag) { this.snapshotTag = snapshotTag; }
    public List<MemberBackupStatus> getMembers() { return members; }
    public void setMembers(List<MemberBackupStatus> members) { this.members = members; }
    public Integer getFiles() { return files; }
    public void setFiles(Integer files) { this.files = files; }
    public Long getBytesUploaded() { return bytesUploaded; }
    public void setBytesUploaded(Long bytesUploaded) { this.bytesUploaded = bytesUploaded; }
    public Long getBytesReferenced() { return bytesReferenced; }
    public void setBytesReferenced(Long bytesReferenced) { this.bytesReferenced = bytesReferenced; }
    public String getManifestLocation() { return manifestLocation; }
    public void setManifestLocation(String manifestLocation) { this.manifestLocation = manifestLocation; }
    public List<Condition> getConditions() { return conditions; }
    public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
}
