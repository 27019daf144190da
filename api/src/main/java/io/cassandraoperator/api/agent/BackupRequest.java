package io.cassandraoperator.api.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * The body of a {@code POST} to {@link io.cassandraoperator.api.Contract.AgentApi#BACKUP}: snapshot under
 * {@code snapshotTag} the keyspaces (all non-system ones when empty), upload the files content-addressed under
 * {@code keyPrefix} at most {@code bytesPerSecond} (unlimited when null) and store the member's manifest at
 * {@code manifestKey}. {@code id} names the run: an agent asked again under an id it runs or finished starts nothing.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackupRequest(String id, String snapshotTag, List<String> keyspaces, ObjectStoreAccess store,
                            String keyPrefix, String manifestKey, Long bytesPerSecond) {
    public BackupRequest {
        keyspaces = keyspaces == null ? List.of() : List.copyOf(keyspaces);
    }
}
