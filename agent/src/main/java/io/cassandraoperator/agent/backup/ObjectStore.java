package io.cassandraoperator.agent.backup;

import io.cassandraoperator.api.agent.ObjectStoreAccess;
import io.cassandraoperator.api.backup.S3Target;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One bucket of an S3-compatible store through the AWS SDK v2 (which signs every request). Checksums of the SDK's
 * own are sent only where S3 requires them: S3-compatible stores differ in the trailers they understand, and every
 * stored file's integrity is the SHA-256 its key is made of, which a restore verifies.
 */
public final class ObjectStore implements AutoCloseable {
    /** User metadata on each stored file: the SHA-256 of its content (hex). */
    static final String SHA256_METADATA = "sha256";

    private final S3Client s3;
    private final String bucket;

    public ObjectStore(ObjectStoreAccess access) {
        var builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofMinutes(2)))
                .region(Region.of(access.region() == null ? S3Target.DEFAULT_REGION : access.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(access.accessKeyId(), access.secretAccessKey())))
                .forcePathStyle(access.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (access.endpoint() != null) {
            builder.endpointOverride(URI.create(access.endpoint()));
        }
        this.s3 = builder.build();
        this.bucket = access.bucket();
    }

    /** Throws with a message that says what to fix when the bucket is missing or the credentials are refused. */
    public void checkBucket() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            throw new StoreRefusedException("bucket " + bucket + " does not exist: create it, or name an existing one", e);
        } catch (S3Exception e) {
            throw new StoreRefusedException(switch (e.statusCode()) {
                case 404 -> "bucket " + bucket + " does not exist: create it, or name an existing one";
                case 401, 403 -> "the store refuses the credentials for bucket " + bucket + " (HTTP " + e.statusCode()
                        + "): check the Secret's accessKeyId and secretAccessKey";
                default -> "the store answered HTTP " + e.statusCode() + " for bucket " + bucket + ": "
                        + e.awsErrorDetails().errorMessage();
            }, e);
        }
    }

    /** The size of the object at {@code key}, empty when there is none. */
    public Optional<Long> size(String key) {
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
            return Optional.of(head.contentLength());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw refused("HEAD " + key, e);
        }
    }

    /** Stores a file's content; {@code content} opens a fresh stream each attempt (the SDK retries). */
    public void putFile(String key, ContentStreamProvider content, long size, String sha256) {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).metadata(Map.of(SHA256_METADATA, sha256)),
                    RequestBody.fromContentProvider(content, size, "application/octet-stream"));
        } catch (S3Exception e) {
            throw refused("PUT " + key, e);
        }
    }

    public void putBytes(String key, byte[] content, String contentType) {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(content));
        } catch (S3Exception e) {
            throw refused("PUT " + key, e);
        }
    }

    public byte[] getBytes(String key) {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        } catch (S3Exception e) {
            throw refused("GET " + key, e);
        }
    }

    /** Downloads {@code key} to {@code file} (written aside and moved, so a partial download never has the name). */
    public void download(String key, Path file) {
        try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (S3Exception e) {
            throw refused("GET " + key, e);
        } catch (IOException e) {
            throw new UncheckedIOException("downloading " + key + " to " + file + " failed", e);
        }
    }

    private StoreRefusedException refused(String request, S3Exception e) {
        String detail = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
        return new StoreRefusedException("the store refused " + request + " in bucket " + bucket + " (HTTP "
                + e.statusCode() + "): " + detail, e);
    }

    @Override
    public void close() {
        s3.close();
    }

    /** The store refused a request; the message says which and why. */
    public static final class StoreRefusedException extends RuntimeException {
        StoreRefusedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
