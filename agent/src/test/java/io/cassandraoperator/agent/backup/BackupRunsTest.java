package io.cassandraoperator.agent.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cassandraoperator.agent.cassandra.FakeSnapshotNode;
import io.cassandraoperator.api.agent.BackupReport;
import io.cassandraoperator.api.agent.BackupRequest;
import io.cassandraoperator.api.agent.MemberManifest;
import io.cassandraoperator.api.agent.ObjectStoreAccess;
import io.cassandraoperator.api.agent.OperationState;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A member's backup runs against a real S3 server (S3Proxy), over snapshot files laid out as Cassandra does. */
class BackupRunsTest {
    private static final String BUCKET = "backups";
    private static final String PREFIX = "cassandra/";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path storeDir;
    @TempDir
    Path volume;

    private S3ProxyServer s3;
    private FakeSnapshotNode node;
    private Path table;

    @BeforeEach
    void start() throws Exception {
        s3 = S3ProxyServer.start(storeDir);
        s3.createBucket(BUCKET);
        node = new FakeSnapshotNode(volume.resolve("data"));
        table = Files.createDirectories(volume.resolve("data/shop/orders-0a1b2c"));
        writeRandom(table.resolve("nb-1-big-Data.db"), 300_000, 1);
        writeRandom(table.resolve("nb-1-big-Index.db"), 20_000, 2);
        Files.writeString(table.resolve("schema.cql"), "CREATE TABLE shop.orders (id int PRIMARY KEY, v text);");
    }

    @AfterEach
    void stop() throws Exception {
        s3.close();
    }

    @Test
    void uploadsEverySnapshotFileUnderItsHashThenTheManifestAndClearsTheSnapshot() throws Exception {
        BackupRuns runs = runs();

        BackupReport report = runToEnd(runs, request("b1", s3.access(BUCKET)));

        assertThat(report.state()).as(report.message()).isEqualTo(OperationState.DONE);
        assertThat(report.files()).isEqualTo(3);
        assertThat(report.bytesUploaded()).isEqualTo(report.bytes()).isGreaterThan(320_000L);
        MemberManifest manifest = JSON.readValue(stored(report.manifestKey()), MemberManifest.class);
        assertThat(manifest.member()).isEqualTo("c-dc1-rack1-0");
        assertThat(manifest.datacenter()).isEqualTo("dc1");
        assertThat(manifest.rack()).isEqualTo("rack1");
        assertThat(manifest.tokens()).containsExactly("-9000", "100", "9000");
        assertThat(manifest.files()).extracting(MemberManifest.StoredFile::name)
                .containsExactlyInAnyOrder("nb-1-big-Data.db", "nb-1-big-Index.db", "schema.cql");
        for (MemberManifest.StoredFile file : manifest.files()) {
            assertThat(file.keyspace()).isEqualTo("shop");
            assertThat(file.table()).isEqualTo("orders");
            assertThat(file.key()).isEqualTo(PREFIX + "data/" + file.sha256());
            byte[] content = stored(file.key());
            assertThat(sha256(content)).as("stored content of %s matches its key", file.name()).isEqualTo(file.sha256());
            assertThat(content).isEqualTo(Files.readAllBytes(table.resolve(file.name())));
        }
        assertThat(node.snapshotsTaken).containsExactly("tag-b1");
        assertThat(node.snapshotsCleared).containsExactly("tag-b1");
        assertThat(table.resolve("snapshots/tag-b1")).doesNotExist();
    }

    @Test
    void aSecondBackupUploadsOnlyTheFilesTheStoreDoesNotHold() throws Exception {
        BackupRuns runs = runs();
        BackupReport first = runToEnd(runs, request("b1", s3.access(BUCKET)));
        writeRandom(table.resolve("nb-2-big-Data.db"), 5_000, 3);

        BackupReport second = runToEnd(runs, request("b2", s3.access(BUCKET)));

        assertThat(second.state()).as(second.message()).isEqualTo(OperationState.DONE);
        assertThat(second.files()).isEqualTo(4);
        // schema.cql has the same content in both snapshots: only the new SSTable goes up.
        assertThat(second.bytesUploaded()).isEqualTo(5_000L).isLessThan(first.bytesUploaded());
        assertThat(second.bytes()).isEqualTo(first.bytes() + 5_000L);
        assertThat(keysUnder(PREFIX + "data/")).hasSize(4);
        assertThat(keysUnder(PREFIX + "manifests/")).hasSize(2);
    }

    @Test
    void aMissingBucketFailsBeforeAnySnapshot() {
        BackupReport report = runToEnd(runs(), request("b1", s3.access("no-such-bucket")));

        assertThat(report.state()).isEqualTo(OperationState.FAILED);
        assertThat(report.message()).contains("bucket no-such-bucket does not exist");
        assertThat(node.snapshotsTaken).isEmpty();
    }

    @Test
    void refusedCredentialsFailBeforeAnySnapshot() {
        ObjectStoreAccess right = s3.access(BUCKET);
        ObjectStoreAccess wrong = new ObjectStoreAccess(right.endpoint(), BUCKET, null, true, right.accessKeyId(), "wrong");

        BackupReport report = runToEnd(runs(), request("b1", wrong));

        assertThat(report.state()).isEqualTo(OperationState.FAILED);
        assertThat(report.message()).contains("refuses the credentials").contains("accessKeyId and secretAccessKey");
        assertThat(node.snapshotsTaken).isEmpty();
    }

    @Test
    void aStoreThatRefusesWritesFailsTheRunWithoutAManifestAndClearsTheSnapshot() throws Exception {
        s3.close();
        s3 = S3ProxyServer.refusingWrites(storeDir);
        s3.createBucket(BUCKET);

        BackupReport report = runToEnd(runs(), request("b1", s3.access(BUCKET)));

        assertThat(report.state()).isEqualTo(OperationState.FAILED);
        assertThat(report.message()).contains("the store refused PUT " + PREFIX + "data/").contains("HTTP 403");
        assertThat(keysUnder(PREFIX + "manifests/")).isEmpty();
        assertThat(node.snapshotsCleared).containsExactly("tag-b1");
    }

    @Test
    void aRestartedAgentReportsTheFinishedRunAndNeverRunsItAgain() throws Exception {
        BackupReport done = runToEnd(runs(), request("b1", s3.access(BUCKET)));
        BackupRuns restarted = runs();

        assertThat(restarted.report("b1")).isEqualTo(done);
        BackupRuns.StartResult again = restarted.start(request("b1", s3.access(BUCKET)));

        assertThat(again.outcome()).isEqualTo(BackupRuns.Outcome.EXISTING);
        assertThat(node.snapshotsTaken).containsExactly("tag-b1");
        assertThat(restarted.report("other")).isEqualTo(BackupReport.notStarted("other"));
    }

    @Test
    void uploadsAtMostTheRequestedRate() throws Exception {
        long started = System.nanoTime();
        BackupRequest slow = new BackupRequest("b1", "tag-b1", List.of(), s3.access(BUCKET), PREFIX,
                PREFIX + "manifests/ns/c/b1/c-dc1-rack1-0.json", 200_000L);

        BackupReport report = runToEnd(runs(), slow);

        assertThat(report.state()).as(report.message()).isEqualTo(OperationState.DONE);
        // 320 kB at 200 kB/s: at least 1.6 s, however fast the store is.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(1500));
    }

    private BackupRuns runs() {
        return BackupRuns.onVolume(node, volume, new BackupRuns.MemberIdentity("c-dc1-rack1-0", "dc1", "rack1"));
    }

    private static BackupRequest request(String id, ObjectStoreAccess access) {
        return new BackupRequest(id, "tag-" + id, List.of(), access, PREFIX,
                PREFIX + "manifests/ns/c/" + id + "/c-dc1-rack1-0.json", null);
    }

    private static BackupReport runToEnd(BackupRuns runs, BackupRequest request) {
        runs.start(request);
        await().atMost(Duration.ofSeconds(30)).until(() -> runs.report(request.id()).state() != OperationState.RUNNING);
        return runs.report(request.id());
    }

    private byte[] stored(String key) throws Exception {
        try (var in = s3.blobs().getBlob(BUCKET, key).getPayload().openStream()) {
            return in.readAllBytes();
        }
    }

    private Set<String> keysUnder(String prefix) {
        return s3.blobs().list(BUCKET, ListContainerOptions.Builder.prefix(prefix).recursive()).stream()
                .map(StorageMetadata::getName).collect(Collectors.toSet());
    }

    private static void writeRandom(Path file, int size, long seed) throws Exception {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        Files.write(file, bytes);
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
