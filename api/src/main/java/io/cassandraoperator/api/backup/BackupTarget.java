package io.cassandraoperator.api.backup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** The store a backup goes to; S3-compatible object storage is the one kind so far. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupTarget {
    @Required
    @JsonPropertyDescription("S3-compatible object storage (AWS S3, MinIO, S3Proxy, ...).")
    private S3Target s3;

    public S3Target getS3() { return s3; }
    public void setS3(S3Target s3) { this.s3 = s3; }
}
