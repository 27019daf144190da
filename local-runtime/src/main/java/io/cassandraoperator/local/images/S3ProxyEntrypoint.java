package io.cassandraoperator.local.images;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The entrypoint of the local runtime's s3proxy image: S3Proxy configured from the container's environment, as the
 * upstream S3Proxy container image does ({@code S3PROXY_ENDPOINT}, {@code S3PROXY_IDENTITY},
 * {@code S3PROXY_CREDENTIAL}, {@code JCLOUDS_FILESYSTEM_BASEDIR}; {@code S3PROXY_BUCKETS}, comma-separated, are
 * created when missing), with the filesystem backend and AWS V2/V4
 * signatures required. Environment values come in as system properties, which S3Proxy's {@code Main} lays over its
 * properties file; the file itself names only what never changes.
 */
public final class S3ProxyEntrypoint {
    private static final Map<String, String> FROM_ENVIRONMENT = Map.of(
            "S3PROXY_ENDPOINT", "s3proxy.endpoint",
            "S3PROXY_IDENTITY", "s3proxy.identity",
            "S3PROXY_CREDENTIAL", "s3proxy.credential",
            "JCLOUDS_FILESYSTEM_BASEDIR", "jclouds.filesystem.basedir");

    private S3ProxyEntrypoint() {
    }

    public static void main(String[] args) throws Exception {
        for (Map.Entry<String, String> variable : FROM_ENVIRONMENT.entrySet()) {
            String value = System.getenv(variable.getKey());
            if (value == null || value.isBlank()) {
                System.err.println(variable.getKey() + " is not set: S3Proxy needs it");
                System.exit(2);
            }
            System.setProperty(variable.getValue(), value);
        }
        Path basedir = Files.createDirectories(Path.of(System.getenv("JCLOUDS_FILESYSTEM_BASEDIR")));
        // Buckets to have from the start, as MinIO's charts create theirs: with the filesystem backend a bucket is a directory.
        String buckets = System.getenv().getOrDefault("S3PROXY_BUCKETS", "");
        for (String bucket : buckets.split(",")) {
            if (!bucket.isBlank()) {
                Files.createDirectories(basedir.resolve(bucket.strip()));
            }
        }
        Path properties = Files.createTempFile("s3proxy", ".conf");
        Files.writeString(properties, String.join("\n",
                "s3proxy.authorization=aws-v2-or-v4",
                "jclouds.provider=filesystem-nio2",
                // S3Proxy's Main requires the backend's login even for the filesystem, which ignores it (the upstream
                // image passes placeholder values too); clients log in with s3proxy.identity/credential.
                "jclouds.identity=filesystem",
                "jclouds.credential=filesystem",
                ""));
        properties.toFile().deleteOnExit();
        // S3Proxy's jar brings no logging configuration, and logback's default logs every request at DEBUG.
        Path logging = Files.createTempFile("s3proxy-logback", ".xml");
        Files.writeString(logging, "<configuration><appender name=\"out\" class=\"ch.qos.logback.core.ConsoleAppender\">"
                + "<encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n</pattern></encoder></appender>"
                + "<root level=\"" + System.getenv().getOrDefault("LOG_LEVEL", "info") + "\"><appender-ref ref=\"out\"/></root></configuration>");
        logging.toFile().deleteOnExit();
        System.setProperty("logback.configurationFile", logging.toString());
        // S3Proxy's classes are on the image's classpath only, not on this module's.
        Method main = Class.forName("org.gaul.s3proxy.Main").getMethod("main", String[].class);
        main.invoke(null, (Object) new String[] {"--properties", properties.toString()});
    }
}
