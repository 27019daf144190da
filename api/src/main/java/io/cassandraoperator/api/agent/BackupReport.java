package io.cassandraoperator.api.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One member's backup run as its agent reports it: the state, the failure's message, the snapshot's files and bytes,
 * the bytes uploaded so far (files the store already held are not uploaded) and, once DONE, the manifest's key. DONE
 * means the manifest is stored, and it is written only after every file it names.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackupReport(String id, OperationState state, String message, Integer files, Long bytes,
                           Long bytesUploaded, String manifestKey) {

    public static BackupReport notStarted(String id) {
        return new BackupReport(id, OperationState.NOT_STARTED, null, null, null, null, null);
    }
}
