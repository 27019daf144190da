package io.cassandraoperator.api.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An S3-compatible store and the credentials to write it, as the operator passes them to an agent with a backup or
 * restore request (read from the Backup's credentials Secret at that moment, so member pods need neither API rights
 * nor a restart for a new target). {@code endpoint} null: AWS's for the region.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ObjectStoreAccess(String endpoint, String bucket, String region, boolean pathStyle, String accessKeyId,
                                String secretAccessKey) {
    /** Never the secret in a log line. */
    @Override
    public String toString() {
        return "ObjectStoreAccess[endpoint=" + endpoint + ", bucket=" + bucket + ", region=" + region + ", pathStyle="
                + pathStyle + ", accessKeyId=" + accessKeyId + "]";
    }
}
