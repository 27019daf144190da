package io.cassandraoperator.api.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * The body of a {@code POST} to {@link io.cassandraoperator.api.Contract.AgentApi#RESTORE}: load into the running
 * node the files its manifest at {@code manifestKey} lists for {@code tables} ({@code keyspace.table}), each verified
 * against its SHA-256 before anything is imported. {@code id} names the run, as for a backup.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RestoreRequest(String id, ObjectStoreAccess store, String manifestKey, List<String> tables) {
    public RestoreRequest {
        tables = tables == null ? List.of() : List.copyOf(tables);
    }
}
