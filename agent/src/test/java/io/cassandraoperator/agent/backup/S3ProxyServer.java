package io.cassandraoperator.agent.backup;

import io.cassandraoperator.api.agent.ObjectStoreAccess;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.options.PutOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.rest.AuthorizationException;

import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * A real S3 server for the tests: S3Proxy with its filesystem backend, in this JVM, on a free loopback port, AWS
 * signatures required. {@link #refusingWrites} serves a store whose every upload is refused (403), as a bucket
 * policy without write access does.
 */
final class S3ProxyServer implements AutoCloseable {
    static final String IDENTITY = "backup-test";
    static final String CREDENTIAL = "backup-test-secret";

    private final BlobStoreContext context;
    private final S3Proxy proxy;

    private S3ProxyServer(Path directory, UnaryOperator<BlobStore> wrap) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", directory.toString());
        context = ContextBuilder.newBuilder("filesystem-nio2").credentials(IDENTITY, CREDENTIAL).overrides(properties)
                .buildView(BlobStoreContext.class);
        proxy = S3Proxy.builder().blobStore(wrap.apply(context.getBlobStore()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, IDENTITY, CREDENTIAL)
                .build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            Thread.sleep(10);
        }
    }

    static S3ProxyServer start(Path directory) throws Exception {
        return new S3ProxyServer(directory, UnaryOperator.identity());
    }

    static S3ProxyServer refusingWrites(Path directory) throws Exception {
        return new S3ProxyServer(directory, store -> new ForwardingBlobStore(store) {
            @Override
            public String putBlob(String container, Blob blob) {
                throw new AuthorizationException("writes are not allowed");
            }

            @Override
            public String putBlob(String container, Blob blob, PutOptions options) {
                throw new AuthorizationException("writes are not allowed");
            }
        });
    }

    /** The backend itself, for creating buckets and looking at what was stored. */
    BlobStore blobs() {
        return context.getBlobStore();
    }

    void createBucket(String bucket) {
        blobs().createContainerInLocation(null, bucket);
    }

    ObjectStoreAccess access(String bucket) {
        return new ObjectStoreAccess("http://127.0.0.1:" + proxy.getPort(), bucket, null, true, IDENTITY, CREDENTIAL);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
