package io.cassandraoperator.local.apiserver.storage;

/** Told of every change to the stored objects, with the old and new JSON (null when absent). */
@FunctionalInterface
public interface StoredObjectListener {
    void changed(String path, String before, String after);
}
