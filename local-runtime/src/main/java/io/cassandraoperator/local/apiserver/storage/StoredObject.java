package io.cassandraoperator.local.apiserver.storage;

/** One stored object and the path it lives at, as a snapshot keeps it. */
public record StoredObject(String path, String json) {
}
