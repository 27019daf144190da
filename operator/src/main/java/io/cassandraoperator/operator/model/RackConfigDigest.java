package io.cassandraoperator.operator.model;

import io.cassandraoperator.api.Contract;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the pod template carries of the rack's {@code configMapName} ConfigMap: a digest of its contents, the JVM
 * options key apart from the rest, so that a change of either changes the template (the rack rolls) and the restart
 * names which one changed. A mounted ConfigMap's files change under a running pod, but Cassandra reads them only at
 * start: without the digest a changed setting would wait for some unrelated restart.
 *
 * @param configHash     digest of every key but {@link Contract.UserConfig#JVM_OPTIONS}; null when the rack names no ConfigMap
 * @param jvmOptionsHash digest of the {@link Contract.UserConfig#JVM_OPTIONS} key; null when there is none
 */
public record RackConfigDigest(String configHash, String jvmOptionsHash) {
    /** A rack without a ConfigMap: nothing in the template. */
    public static final RackConfigDigest NONE = new RackConfigDigest(null, null);
    /** The digest of a named ConfigMap that does not exist and never did under this template. */
    static final String ABSENT = "absent";

    /**
     * @param configMap the rack's ConfigMap as observed, empty when it is not there
     * @param current   the rack's pod template as written, if there is one: a ConfigMap that went missing keeps its
     *                  digests, since a restart would stop a member that cannot start without the ConfigMap's volume
     */
    public static RackConfigDigest of(String configMapName, Optional<ConfigMap> configMap, Optional<PodTemplateSpec> current) {
        if (configMapName == null) {
            return NONE;
        }
        if (configMap.isEmpty()) {
            Map<String, String> written = current.map(PodTemplateSpec::getMetadata).map(m -> m.getAnnotations()).orElse(Map.of());
            return new RackConfigDigest(written.getOrDefault(Contract.Annotations.CONFIG_HASH, ABSENT),
                    written.get(Contract.Annotations.JVM_OPTIONS_HASH));
        }
        Map<String, String> rest = new TreeMap<>();
        if (configMap.get().getData() != null) {
            rest.putAll(configMap.get().getData());
        }
        if (configMap.get().getBinaryData() != null) {
            configMap.get().getBinaryData().forEach((key, value) -> rest.put("binary:" + key, value));
        }
        String jvmOptions = rest.remove(Contract.UserConfig.JVM_OPTIONS);
        return new RackConfigDigest(digest(rest.toString()), jvmOptions == null ? null : digest(jvmOptions));
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
