package io.cassandraoperator.api.backup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One member's part of a backup, as its agent last reported it. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MemberBackupStatus {
    @JsonPropertyDescription("The member (its pod's name).")
    private String member;
    @JsonPropertyDescription("NOT_STARTED, RUNNING, DONE or FAILED, as the member's agent reports it.")
    private String state;
    @JsonPropertyDescription("Files in the member's snapshot.")
    private Integer files;
    @JsonPropertyDescription("Bytes in the member's snapshot (all referenced by its manifest).")
    private Long bytes;
    @JsonPropertyDescription("Bytes this member uploaded; files an earlier backup stored are not uploaded again.")
    private Long bytesUploaded;
    @JsonPropertyDescription("The key of the member's manifest in the bucket, once stored.")
    private String manifest;
    @JsonPropertyDescription("What went wrong, when the member's part failed.")
    private String message;

    public String getMember() { return member; }
    public void setMember(String member) { this.member = member; }
    public String getState() { return state; }
    public void setState(String state) { this.state = state; }
    public Integer getFiles() { return files; }
    public void setFiles(Integer files) { this.files = files; }
    public Long getBytes() { return bytes; }
    public void setBytes(Long bytes) { this.bytes = bytes; }
    public Long getBytesUploaded() { return bytesUploaded; }
    public void setBytesUploaded(Long bytesUploaded) { this.bytesUploaded = bytesUploaded; }
    public String getManifest() { return manifest; }
    public void setManifest(String manifest) { this.manifest = manifest; }
    public String getMessage() { return message; }
    public void setMessage(String message) { this.message = message; }
}
