package io.cassandraoperator.local.apiserver.storage;

import io.fabric8.mockwebserver.crud.AttributeSet;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The store's last changes in resourceVersion order, as the API server's watch cache keeps them, so that a watch
 * started at the resourceVersion of a list receives exactly the changes after it. Bounded: a version older than the
 * kept window is too old, and such a watch ends with 410 Expired, on which clients list again.
 */
final class ChangeLog {
    /** One write: the object's keys and JSON before and after (null when absent). */
    record Change(long resourceVersion, AttributeSet oldKey, String before, AttributeSet newKey, String after) {
        /** The event this change makes for a watch selecting {@code selected}, or null when it makes none. */
        String eventType(AttributeSet selected) {
            boolean was = before != null && oldKey != null && oldKey.matches(selected);
            boolean is = after != null && newKey != null && newKey.matches(selected);
            return was && is ? "MODIFIED" : was ? "DELETED" : is ? "ADDED" : null;
        }

        String object() {
            return after != null ? after : before;
        }
    }

    private final int capacity;
    private final Deque<Change> changes = new ArrayDeque<>();
    /** Every change after this version is kept. */
    private long keptAfter = Long.MAX_VALUE;

    ChangeLog(int capacity) {
        this.capacity = capacity;
    }

    /** Starts keeping changes; those up to {@code version} (restored from a snapshot) are not kept. */
    void startAfter(long version) {
        keptAfter = version;
    }

    void add(Change change) {
        if (keptAfter == Long.MAX_VALUE) {
            return;
        }
        changes.addLast(change);
        if (changes.size() > capacity) {
            keptAfter = changes.removeFirst().resourceVersion();
        }
    }

    /** The changes after {@code version}, oldest first, or empty when the version is older than those kept. */
    Optional<List<Change>> after(long version) {
        if (version < keptAfter) {
            return Optional.empty();
        }
        return Optional.of(changes.stream().filter(c -> c.resourceVersion() > version).toList());
    }

    long oldestKept() {
        return keptAfter;
    }
}
