package io.cassandraoperator.local.kubelet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The images this machine can run. There is no registry: an image reference either matches an entry here or the
 * container cannot start ({@code ErrImagePull}, as when a kubelet cannot pull).
 */
public final class ImageCatalog {
    /**
     * The Cassandra versions whose classpaths the agent module bundles (agent/target/image/cassandra/VERSION, one
     * each, resolved from cassandra-all by agent/pom.xml). An image tagged with one of them runs that version.
     */
    public static final List<String> BUNDLED_CASSANDRA_VERSIONS = List.of("5.0.6", "5.0.7", "5.0.8");
    /** The newest bundled version: the default image tag of the CRD. */
    public static final String BUNDLED_CASSANDRA_VERSION = "5.0.8";
    /** The user and group of the Cassandra image (agent/pom.xml, Jib's {@code <user>999:999</user>}). */
    static final long BUNDLED_CASSANDRA_USER = 999;
    static final String AGENT_MAIN = "io.cassandraoperator.agent.AgentMain";
    /** Small settings for a laptop: shorter ring delay, no wait for gossip to settle (docs/architecture.md). */
    static final String LAPTOP_JVM_OPTS = "-Dcassandra.ring_delay_ms=3000 -Dcassandra.skip_wait_for_gossip_to_settle=0";

    private final Map<Predicate<String>, Entry> entries = new LinkedHashMap<>();

    private record Entry(LocalImage image, String unavailableReason) {
    }

    /** Registers an image for every reference the predicate accepts; later registrations do not override earlier ones. */
    public ImageCatalog register(Predicate<String> reference, LocalImage image) {
        entries.put(reference, new Entry(image, null));
        return this;
    }

    /** Registers an image under one exact reference. */
    public ImageCatalog register(String reference, LocalImage image) {
        return register(reference::equals, image);
    }

    /**
     * The bundled Cassandra images: any repository whose tag is one of {@link #BUNDLED_CASSANDRA_VERSIONS} runs the
     * member agent from the agent module's image layout under {@code projectRoot}, with that version's classpath.
     */
    public ImageCatalog registerBundledCassandra(Path projectRoot) {
        Path image = projectRoot.resolve("agent/target/image").toAbsolutePath().normalize();
        for (String version : BUNDLED_CASSANDRA_VERSIONS) {
            Predicate<String> tagged = reference -> version.equals(tag(reference));
            Path classpath = image.resolve("cassandra").resolve(version);
            if (!Files.isDirectory(image.resolve("agent")) || !Files.isDirectory(classpath)) {
                entries.put(tagged, new Entry(null, "the bundled Cassandra " + version + " image is not built: " + classpath
                        + " or " + image.resolve("agent") + " is missing; run ./mvnw -q -B -DskipTests verify"));
                continue;
            }
            register(tagged, new LocalImage(
                    List.of(javaBinary(), "-Xmx96m", "-cp", image.resolve("agent") + "/*", AGENT_MAIN),
                    Map.of("CASSANDRA_CLASSPATH", classpath + "/*",
                            "CASSANDRA_EXTRA_JVM_OPTS", LAPTOP_JVM_OPTS,
                            // bin/ holds nodetool (kubectl exec POD -- nodetool status), which runs this JDK's java
                            "PATH", image.resolve("bin") + ":" + Path.of(javaBinary()).getParent() + ":"
                                    + ContainerLaunch.DEFAULT_PATH),
                    BUNDLED_CASSANDRA_USER, BUNDLED_CASSANDRA_USER, image));
        }
        return this;
    }

    /** The S3 server image (a real S3 protocol server for backups, run as a pod the way users run MinIO). */
    public static final String S3PROXY_IMAGE = "cassandra-operator/s3proxy:2.7.0";
    static final String S3PROXY_MAIN = "io.cassandraoperator.local.images.S3ProxyEntrypoint";

    /**
     * The s3proxy image {@value #S3PROXY_IMAGE}: S3Proxy and its libraries from local-runtime's image layout
     * ({@code local-runtime/target/image/s3proxy}) under {@code projectRoot}, started by
     * {@link io.cassandraoperator.local.images.S3ProxyEntrypoint}.
     */
    public ImageCatalog registerBundledS3Proxy(Path projectRoot) {
        Path module = projectRoot.resolve("local-runtime/target").toAbsolutePath().normalize();
        Path jars = module.resolve("image/s3proxy");
        if (!Files.isDirectory(jars)) {
            entries.put(S3PROXY_IMAGE::equals, new Entry(null, "the s3proxy image is not built: " + jars
                    + " is missing; run ./mvnw -q -B -DskipTests verify"));
            return this;
        }
        return register(S3PROXY_IMAGE, new LocalImage(
                List.of(javaBinary(), "-Xmx128m", "-cp", module.resolve("classes") + ":" + jars + "/*", S3PROXY_MAIN),
                Map.of()));
    }

    /** The image for a reference, or the message explaining why it cannot be pulled. */
    public Resolution resolve(String reference) {
        for (Map.Entry<Predicate<String>, Entry> e : entries.entrySet()) {
            if (e.getKey().test(reference)) {
                Entry entry = e.getValue();
                return entry.image() != null ? new Resolution(entry.image(), null)
                        : new Resolution(null, "Failed to pull image \"" + reference + "\": " + entry.unavailableReason());
            }
        }
        return new Resolution(null, "Failed to pull image \"" + reference + "\": the local runtime has no registry; it runs"
                + " images tagged with a bundled Cassandra version " + String.join(", ", BUNDLED_CASSANDRA_VERSIONS)
                + " and images registered in its catalog");
    }

    /** Either an image or the reason there is none. */
    public record Resolution(LocalImage image, String failure) {
    }

    /** The java launcher this JVM runs on: pods run on the same JDK as the runtime. */
    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The tag of an image reference ({@code repo/name:tag}, digest ignored); "latest" when absent, as Docker does. */
    static String tag(String reference) {
        String withoutDigest = reference.split("@", 2)[0];
        int slash = withoutDigest.lastIndexOf('/');
        int colon = withoutDigest.lastIndexOf(':');
        return colon > slash ? withoutDigest.substring(colon + 1) : "latest";
    }
}
