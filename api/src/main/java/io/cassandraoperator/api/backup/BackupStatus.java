package io.cassandraoperator.api.backup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

// Fields a newer CRD adds must not stop an older operator: the API server prunes, this ignores.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupStatus extends RunStatus {
    @JsonPropertyDescription("The snapshot tag every member took, which names the backup's files on the members' disks.")
    private String snapshotTag;
    @JsonPropertyDescription("Bytes uploaded by this backup; against bytesReferenced it shows what storing files once saved.")
    private Long bytesUploaded;
    @JsonPropertyDescription("Bytes of all files the backup's manifests reference.")
    private Long bytesReferenced;
    @JsonPropertyDescription("Where the manifests are: s3://<bucket>/<key prefix of the members' manifests>.")
    private String manifestLocation;

    public String getSnapshotTag() { return snapshotTag; }
    public void setSnapshotTag(String snapshotTag) { this.snapshotTag = snapshotTag; }
    public Long getBytesUploaded() { return bytesUploaded; }
    public void setBytesUploaded(Long bytesUploaded) { this.bytesUploaded = bytesUploaded; }
    public Long getBytesReferenced() { return bytesReferenced; }
    public void setBytesReferenced(Long bytesReferenced) { this.bytesReferenced = bytesReferenced; }
    public String getManifestLocation() { return manifestLocation; }
    public void setManifestLocation(String manifestLocation) { this.manifestLocation = manifestLocation; }
}
