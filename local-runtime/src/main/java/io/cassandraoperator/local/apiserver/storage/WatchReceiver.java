package io.cassandraoperator.local.apiserver.storage;

/** Where a watch of the {@link ObjectStore} sends its events, in order. */
public interface WatchReceiver {
    /** @param type ADDED, MODIFIED, DELETED or ERROR; @param json the object, or the {@code Status} of an ERROR */
    void send(String type, String json);

    /** The watch is over (its resourceVersion was too old): nothing more comes. */
    void end();
}
