package io.cassandraoperator.local.apiserver.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.server.mock.CustomResourceDefinitionProcessor;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesResponseComposer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The API server's objects as JSON, keyed as the fabric8 mock keys them (group, version, plural, namespace, name and
 * labels), with the one lock every read-modify-write holds, the resourceVersion counter, the watches and the
 * snapshot file that keeps the objects across a restart.
 * <p>
 * Writes hold the write lock; lists, gets and the initial events of a watch hold the read lock, so a watch sees every
 * object exactly once, either in its initial events or as a change. A watch from a resourceVersion gets the changes
 * after it from the {@link ChangeLog}, which keeps the last {@value #KEPT_CHANGES}.
 */
public final class ObjectStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectStore.class);
    private static final String CRDS_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    /** Enough for the operator's informers to resume after any pause of a test; each is one object's JSON. */
    static final int KEPT_CHANGES = 10_000;

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    /** In insertion order, as the mock's store: a list shows the objects in the order they were last written. */
    private final Map<AttributeSet, String> objects = new LinkedHashMap<>();
    private final AtomicLong resourceVersion = new AtomicLong();
    private final CustomResourceDefinitionProcessor crds = new CustomResourceDefinitionProcessor();
    private final KubernetesAttributesExtractor extractor = new KubernetesAttributesExtractor();
    private final KubernetesResponseComposer lists = new KubernetesResponseComposer();
    private final Map<WatchReceiver, AttributeSet> watches = new ConcurrentHashMap<>();
    private final ChangeLog changeLog = new ChangeLog(KEPT_CHANGES);
    private final List<StoredObjectListener> listeners = new CopyOnWriteArrayList<>();
    private final SnapshotFile snapshots;
    private volatile boolean loaded;

    /** @param snapshotFile where the objects are kept; nothing is read or written before {@link #load()} */
    public ObjectStore(Path snapshotFile) {
        extractor.setCustomResourceDefinitionProcessor(crds);
        this.snapshots = new SnapshotFile(snapshotFile, this::snapshot);
    }

    /**
     * Puts the objects of the last snapshot back as they were (uids, resourceVersions, timestamps kept), telling the
     * listeners added so far, and from then on keeps a snapshot of every change; call it before the server serves
     * anyone.
     */
    public void load() {
        write(() -> {
            long highest = 0;
            for (StoredObject o : snapshots.read()) {
                change(o.path(), key(o.path()), null, o.json());
                highest = Math.max(highest, parse(o.json()).path("metadata").path("resourceVersion").asLong(0));
            }
            // resourceVersions only grow, also across a restart
            resourceVersion.accumulateAndGet(highest, Math::max);
            changeLog.startAfter(resourceVersion.get());
            listeners.add((path, before, after) -> snapshots.changed());
            loaded = true;
            return null;
        });
    }

    public void addListener(StoredObjectListener listener) {
        listeners.add(listener);
    }

    public void removeListener(StoredObjectListener listener) {
        listeners.remove(listener);
    }

    public <T> T write(Supplier<T> action) {
        lock.writeLock().lock();
        try {
            return action.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    public <T> T read(Supplier<T> action) {
        lock.readLock().lock();
        try {
            return action.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The key a path selects: its group, version, plural, namespace and name, and its label selector. */
    public AttributeSet key(String path) {
        return extractor.fromPath(path);
    }

    /** The key of an object stored at a path. */
    public AttributeSet keyOf(String objectPath, String json) {
        return AttributeSet.merge(key(objectPath), extractor.fromResource(json));
    }

    /** The group ({@code api}), version, plural, namespace and name a Kubernetes path names, as the mock reads them. */
    public Map<String, String> attributes(String path) {
        return extractor.fromKubernetesPath(path);
    }

    public List<Map.Entry<AttributeSet, String>> matching(AttributeSet query) {
        return read(() -> {
            List<Map.Entry<AttributeSet, String>> out = new ArrayList<>();
            for (Map.Entry<AttributeSet, String> e : objects.entrySet()) {
                if (e.getKey().matches(query)) {
                    out.add(Map.entry(e.getKey(), e.getValue()));
                }
            }
            return out;
        });
    }

    /** The first object the key matches, or null. */
    public Map.Entry<AttributeSet, String> find(AttributeSet query) {
        List<Map.Entry<AttributeSet, String>> found = matching(query);
        return found.isEmpty() ? null : found.get(0);
    }

    /** The stored CustomResourceDefinitions. */
    public List<JsonNode> crds() {
        return matching(key(CRDS_PATH)).stream().map(e -> parse(e.getValue())).toList();
    }

    /** Whether the custom resource a path names has a status subresource in its CRD. */
    public boolean hasStatusSubresource(String path) {
        return crds.isStatusSubresourceEnabledForResource(attributes(path));
    }

    public long nextResourceVersion() {
        return resourceVersion.incrementAndGet();
    }

    /**
     * Replaces the object at {@code oldKey} (none when null) with {@code newState} (removed when null), under the
     * write lock, and tells the watches and listeners.
     *
     * @param path the request path it was written through, whose plural keys the object
     */
    public void change(String path, AttributeSet pathKey, AttributeSet oldKey, String newState) {
        write(() -> {
            String before = oldKey == null ? null : objects.remove(oldKey);
            AttributeSet newKey = null;
            if (newState != null) {
                newKey = extractor.fromResource(newState);
                if (!newKey.containsKey(KubernetesAttributesExtractor.PLURAL)) {
                    newKey = AttributeSet.merge(pathKey, newKey);
                }
                objects.put(newKey, newState);
            }
            if (!Objects.equals(before, newState)) {
                if (newState == null && before != null) {
                    // a deletion is a change of its own, as in etcd: the DELETED event carries the new version
                    before = withResourceVersion(before, nextResourceVersion());
                }
                ChangeLog.Change c = new ChangeLog.Change(versionOf(newState != null ? newState : before), oldKey,
                        before, newKey, newState);
                changeLog.add(c);
                watches.forEach((receiver, selected) -> send(c, selected, receiver));
                crds.process(path, newState != null ? newState : before, newState == null);
            }
            String objectPath = newState != null ? pathOf(newState, path) : withoutQuery(path);
            for (StoredObjectListener listener : listeners) {
                try {
                    listener.changed(objectPath, before, newState);
                } catch (RuntimeException e) {
                    LOG.warn("a listener failed on a change of {}", objectPath, e);
                }
            }
            return null;
        });
    }

    /** A get or list: the object (404 when absent) or a list of the matching objects at the current version. */
    public MockResponse get(String path) {
        AttributeSet query = key(path);
        return read(() -> {
            List<String> items = matching(query).stream().map(Map.Entry::getValue).toList();
            if (query.containsKey(KubernetesAttributesExtractor.NAME)) {
                return items.isEmpty() ? new MockResponse().setResponseCode(404)
                        : new MockResponse().setResponseCode(200).setBody(items.get(0));
            }
            return new MockResponse().setResponseCode(200)
                    .setBody(lists.compose(items, String.valueOf(resourceVersion.get())));
        });
    }

    /** A watch over a WebSocket, as fabric8 clients ask for it: see {@link #watch(String, Long, WatchReceiver)}. */
    public MockResponse webSocketWatch(String path, Long fromVersion) {
        return new MockResponse().withWebSocketUpgrade(new WatchSocket(socket -> watch(path, fromVersion, socket),
                this::unwatch));
    }

    /**
     * Starts a watch of the objects a path selects (with {@code fieldSelector=metadata.name=...}), as the API server's
     * watch cache: without a version (or from 0) the matching objects come first as ADDED, from a version only the
     * changes after it; a version older than the changes kept ends the watch with an ERROR event, 410 Expired.
     */
    public void watch(String path, Long fromVersion, WatchReceiver receiver) {
        AttributeSet selected = watchKey(path);
        read(() -> {
            if (fromVersion == null || fromVersion == 0) {
                matching(selected).forEach(e -> receiver.send("ADDED", e.getValue()));
            } else {
                Optional<List<ChangeLog.Change>> changes = changeLog.after(fromVersion);
                if (changes.isEmpty()) {
                    receiver.send("ERROR", Serialization.asJson(new StatusBuilder().withStatus("Failure")
                            .withCode(410).withReason("Expired").withMessage("too old resource version: "
                                    + fromVersion + " (" + changeLog.oldestKept() + ")").build()));
                    receiver.end();
                    return null;
                }
                changes.get().forEach(c -> send(c, selected, receiver));
            }
            watches.put(receiver, selected);
            return null;
        });
    }

    public void unwatch(WatchReceiver receiver) {
        watches.remove(receiver);
    }

    private static void send(ChangeLog.Change change, AttributeSet selected, WatchReceiver receiver) {
        String type = change.eventType(selected);
        if (type != null) {
            receiver.send(type, change.object());
        }
    }

    /** Every stored object with its path, CRDs first, for a snapshot. */
    List<StoredObject> snapshot() {
        List<StoredObject> crdObjects = new ArrayList<>();
        List<StoredObject> rest = new ArrayList<>();
        for (Map.Entry<AttributeSet, String> entry : matching(new AttributeSet())) {
            StoredObject o = new StoredObject(pathOf(entry.getKey()), entry.getValue());
            (o.path().startsWith(CRDS_PATH) ? crdObjects : rest).add(o);
        }
        crdObjects.addAll(rest);
        return crdObjects;
    }

    /** Writes a last snapshot, unless the store was never loaded: an unread snapshot is not overwritten. */
    @Override
    public void close() {
        if (loaded) {
            snapshots.close();
        }
    }

    /** The key of a watch: that of its path, and the name of {@code fieldSelector=metadata.name=...} it leaves out. */
    private AttributeSet watchKey(String path) {
        AttributeSet key = key(path);
        String query;
        try {
            query = new URI(path).getQuery();
        } catch (URISyntaxException e) {
            return key;
        }
        String name = null;
        if (query != null) {
            for (String q : query.split("&")) {
                if (q.contains("fieldSelector") && q.contains("metadata.name")) {
                    String[] s = q.split("=");
                    name = s[s.length - 1];
                }
            }
        }
        return name == null || name.isEmpty() ? key : key.add(new Attribute(KubernetesAttributesExtractor.NAME, name));
    }

    private static long versionOf(String json) {
        return parse(json).path("metadata").path("resourceVersion").asLong(0);
    }

    private static String withResourceVersion(String json, long version) {
        ObjectNode object = (ObjectNode) parse(json);
        ((ObjectNode) object.path("metadata")).put("resourceVersion", String.valueOf(version));
        return object.toString();
    }

    private static JsonNode parse(String json) {
        try {
            return Serialization.jsonMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a stored object is not JSON", e);
        }
    }

    private static String pathOf(AttributeSet key) {
        return path(value(key, KubernetesAttributesExtractor.API), value(key, KubernetesAttributesExtractor.VERSION),
                value(key, KubernetesAttributesExtractor.NAMESPACE), value(key, KubernetesAttributesExtractor.PLURAL),
                value(key, KubernetesAttributesExtractor.NAME));
    }

    /** The object's own path, using the plural of the request path it was written through. */
    private String pathOf(String json, String requestPath) {
        JsonNode object = parse(json);
        String apiVersion = object.path("apiVersion").asText();
        int slash = apiVersion.indexOf('/');
        return path(slash < 0 ? null : apiVersion.substring(0, slash), apiVersion.substring(slash + 1),
                object.path("metadata").path("namespace").asText(null),
                attributes(withoutQuery(requestPath)).get(KubernetesAttributesExtractor.PLURAL),
                object.path("metadata").path("name").asText());
    }

    private static String path(String group, String version, String namespace, String plural, String name) {
        StringBuilder p = new StringBuilder(group == null ? "/api/" + version : "/apis/" + group + "/" + version);
        if (namespace != null && !namespace.isEmpty()) {
            p.append("/namespaces/").append(namespace);
        }
        return p.append('/').append(plural).append('/').append(name).toString();
    }

    private static String value(AttributeSet key, String name) {
        Attribute a = key.getAttribute(name);
        return a == null || a.getValues().isEmpty() ? null : a.getValues().get(0).toString();
    }

    private static String withoutQuery(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }
}
