package io.cassandraoperator.api.backup;

import java.util.Locale;

/**
 * Where a backup's objects go in its bucket, shared by the operator (which names the manifests) and the agent (which
 * stores the files): {@code <prefix>/data/<sha-256 of the content>} for every file, once whatever number of backups
 * reference it, and {@code <prefix>/manifests/<namespace>/<cluster>/<backup>/<member>.json} per member.
 */
public final class StoreLayout {
    static final String DATA = "data/";
    static final String MANIFESTS = "manifests/";

    private StoreLayout() {
    }

    /** The target's prefix as a key prefix: empty, or ending with one '/'. */
    public static String keyPrefix(S3Target target) {
        String prefix = target.getPrefix() == null ? "" : target.getPrefix();
        return prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    }

    /** The key of a file's content; {@code sha256} in hex. */
    public static String contentKey(String keyPrefix, String sha256) {
        return keyPrefix + DATA + sha256.toLowerCase(Locale.ROOT);
    }

    /** The key prefix of one backup's manifests. */
    public static String manifestsOf(String keyPrefix, String namespace, String cluster, String backup) {
        return keyPrefix + MANIFESTS + namespace + "/" + cluster + "/" + backup + "/";
    }

    public static String manifestKey(String keyPrefix, String namespace, String cluster, String backup, String member) {
        return manifestsOf(keyPrefix, namespace, cluster, backup) + member + ".json";
    }
}
