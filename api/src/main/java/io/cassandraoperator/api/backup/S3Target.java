package io.cassandraoperator.api.backup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class S3Target {
    /** The region when none is set; S3-compatible stores other than AWS accept any. */
    public static final String DEFAULT_REGION = "us-east-1";

    @Pattern("^https?://[^\\s/]+(/.*)?$")
    @Size(max = 512)
    @JsonPropertyDescription("The store's URL, e.g. http://s3proxy.backups.svc:8080; AWS's endpoint for the region when unset.")
    private String endpoint;

    @Required
    @Pattern("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
    @JsonPropertyDescription("The bucket; it must exist (the operator does not create buckets).")
    private String bucket;

    @Pattern("^([A-Za-z0-9._-]+/)*[A-Za-z0-9._-]*$")
    @Size(max = 256)
    @JsonPropertyDescription("A key prefix inside the bucket, e.g. cassandra/prod; the bucket's root when unset.")
    private String prefix;

    @Size(max = 64)
    @JsonPropertyDescription("The region (default " + DEFAULT_REGION + ").")
    private String region;

    @JsonPropertyDescription("Path-style addressing (http://host/bucket/key), as MinIO and S3Proxy need; default false.")
    private Boolean pathStyle;

    @Required
    @Size(min = 1, max = 253)
    @JsonPropertyDescription("The Secret (in this namespace) with the keys accessKeyId and secretAccessKey.")
    private String credentialsSecret;

    public String getEndpoint() { return endpoint; }
    public void setEndpoint(String endpoint) { this.endpoint = endpoint; }
    public String getBucket() { return bucket; }
    public void setBucket(String bucket) { this.bucket = bucket; }
    public String getPrefix() { return prefix; }
    public void setPrefix(String prefix) { this.prefix = prefix; }
    public String getRegion() { return region; }
    public void setRegion(String region) { this.region = region; }
    public Boolean getPathStyle() { return pathStyle; }
    public void setPathStyle(Boolean pathStyle) { this.pathStyle = pathStyle; }
    public String getCredentialsSecret() { return credentialsSecret; }
    public void setCredentialsSecret(String credentialsSecret) { this.credentialsSecret = credentialsSecret; }
}
