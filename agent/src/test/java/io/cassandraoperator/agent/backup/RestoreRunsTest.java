package io.cassandraoperator.agent.backup;

import io.cassandraoperator.agent.cassandra.FakeSnapshotNode;
import io.cassandraoperator.api.agent.BackupReport;
import io.cassandraoperator.api.agent.BackupRequest;
import io.cassandraoperator.api.agent.OperationState;
import io.cassandraoperator.api.agent.RestoreReport;
import io.cassandraoperator.api.agent.RestoreRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** In-place restore runs against a real S3 server (S3Proxy) holding a backup BackupRuns made. */
class RestoreRunsTest {
    private static final String BUCKET = "backups";
    private static final String MANIFEST = "p/manifests/ns/c/b1/c-dc1-rack1-0.json";

    @TempDir
    Path storeDir;
    @TempDir
    Path volume;

    private S3ProxyServer s3;
    private FakeSnapshotNode node;

    @BeforeEach
    void backUp() throws Exception {
        s3 = S3ProxyServer.start(storeDir);
        s3.createBucket(BUCKET);
        node = new FakeSnapshotNode(volume.resolve("data"));
        Path orders = Files.createDirectories(volume.resolve("data/shop/orders-0a1b2c"));
        Files.writeString(orders.resolve("nb-1-big-Data.db"), "orders data");
        Files.writeString(orders.resolve("nb-1-big-TOC.txt"), "Data.db");
        Files.writeString(orders.resolve("schema.cql"), "CREATE TABLE shop.orders (id int PRIMARY KEY);");
        Path users = Files.createDirectories(volume.resolve("data/shop/users-9f8e7d"));
        Files.writeString(users.resolve("nb-4-big-Data.db"), "users data");
        BackupRuns backups = BackupRuns.onVolume(node, volume, new BackupRuns.MemberIdentity("c-dc1-rack1-0", "dc1", "rack1"));
        backups.start(new BackupRequest("b1", "tag", List.of(), s3.access(BUCKET), "p/", MANIFEST, null));
        await().atMost(Duration.ofSeconds(30)).until(() -> backups.report("b1").state() == OperationState.DONE);
    }

    @AfterEach
    void stop() throws Exception {
        s3.close();
    }

    @Test
    void importsTheChosenTablesSSTablesOnlyAndLeavesNoStagedFile() {
        RestoreReport report = runToEnd(new RestoreRequest("r1", s3.access(BUCKET), MANIFEST, List.of("shop.orders")));

        assertThat(report.state()).as(report.message()).isEqualTo(OperationState.DONE);
        assertThat(report.files()).isEqualTo(2);
        assertThat(node.imports).singleElement().satisfies(i -> assertThat(i)
                .startsWith("shop.orders: ").contains("nb-1-big-Data.db", "nb-1-big-TOC.txt").doesNotContain("schema.cql"));
        assertThat(volume.resolve("cassandra-operator-restore/r1")).doesNotExist();
    }

    @Test
    void aStoredFileThatFailsItsChecksumFailsTheRunNamingItBeforeAnyImport() throws Exception {
        BackupReport backup = BackupRuns.onVolume(node, volume, new BackupRuns.MemberIdentity("c-dc1-rack1-0", "dc1", "rack1")).report("b1");
        String key = "p/data/" + SnapshotFiles.sha256(volume.resolve("data/shop/users-9f8e7d/nb-4-big-Data.db"));
        // Corrupted by hand in the store, under its key.
        s3.blobs().putBlob(BUCKET, s3.blobs().blobBuilder(key).payload("users data, damaged".getBytes(StandardCharsets.UTF_8)).build());

        RestoreReport report = runToEnd(new RestoreRequest("r1", s3.access(BUCKET), backup.manifestKey(),
                List.of("shop.orders", "shop.users")));

        assertThat(report.state()).isEqualTo(OperationState.FAILED);
        assertThat(report.message()).contains("stored file " + key).contains("shop.users nb-4-big-Data.db")
                .contains("fails its checksum").contains("nothing was imported");
        assertThat(node.imports).isEmpty();
    }

    @Test
    void aMissingManifestFailsSayingWhatTheStoreAnswered() {
        RestoreReport report = runToEnd(new RestoreRequest("r1", s3.access(BUCKET), "p/manifests/none.json", List.of("shop.orders")));

        assertThat(report.state()).isEqualTo(OperationState.FAILED);
        assertThat(report.message()).contains("GET p/manifests/none.json").contains("404");
    }

    private RestoreReport runToEnd(RestoreRequest request) {
        RestoreRuns runs = RestoreRuns.onVolume(node, volume);
        runs.start(request);
        await().atMost(Duration.ofSeconds(30)).until(() -> runs.report(request.id()).state() != OperationState.RUNNING);
        return runs.report(request.id());
    }
}
