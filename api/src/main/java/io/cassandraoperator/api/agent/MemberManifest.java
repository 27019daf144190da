package io.cassandraoperator.api.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * What one member's part of a backup holds, stored as JSON at the backup's manifest key of that member: where it
 * stood in the ring (datacenter, rack, its tokens) and every file of its snapshot with the content-addressed key it
 * is stored under. The snapshot's own {@code schema.cql} of each table is one of the files, so the schema travels with
 * the data. {@code format} is raised when a reader could misread a newer manifest.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MemberManifest(int format, String backup, String snapshotTag, String member, String datacenter,
                             String rack, List<String> tokens, String takenAt, List<StoredFile> files) {
    public static final int FORMAT = 1;

    public MemberManifest {
        tokens = List.copyOf(tokens);
        files = List.copyOf(files);
    }

    /**
     * One file of a table's snapshot: keyspace, table (its name), the table's directory name on disk
     * ({@code <table>-<id>}), the file's name, size and SHA-256 (hex) of its content, and the key it is stored under
     * (derived from the SHA-256, so the same content is stored once).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StoredFile(String keyspace, String table, String tableDirectory, String name, long size,
                             String sha256, String key) {
    }
}
