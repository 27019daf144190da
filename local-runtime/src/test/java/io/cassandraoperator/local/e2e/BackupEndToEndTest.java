package io.cassandraoperator.local.e2e;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.backup.Backup;
import io.cassandraoperator.api.backup.BackupPhase;
import io.cassandraoperator.api.backup.BackupSpec;
import io.cassandraoperator.api.backup.BackupStatus;
import io.cassandraoperator.api.backup.BackupTarget;
import io.cassandraoperator.api.backup.MemberBackupStatus;
import io.cassandraoperator.api.backup.Restore;
import io.cassandraoperator.api.backup.RestoreMode;
import io.cassandraoperator.api.backup.RestoreSpec;
import io.cassandraoperator.api.backup.RestoreStatus;
import io.cassandraoperator.api.backup.S3Target;
import io.cassandraoperator.local.cli.CliProcess;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Backups with real Cassandra and a real S3 server (examples/backup.yaml: S3Proxy as a pod, a 3-member Cluster, RF 3):
 * a Backup completes with every member's manifest stored; after more rows a second Backup uploads only the new files;
 * after a TRUNCATE an in-place Restore of the first brings every one of its rows back, read at ALL, with no member
 * restarted. One runtime shared by the ordered steps.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupEndToEndTest extends EndToEndTest {
    private static final int ROWS = 20_000;
    private static final int MORE_ROWS = 1_000;
    private static final String BUCKET = "cassandra-backups";
    private static final String PREFIX = "cassandra";
    private static final Duration BACKUP_TIMEOUT = Duration.ofMinutes(3);

    private static BackupStatus first;
    private static long objectsAfterFirst;

    BackupEndToEndTest() throws IOException {
        super(LocalRuntimeFixture.of("backup"));
    }

    @Test
    @Order(1)
    void aBackupCompletesWithEveryMembersManifestAndEveryFileStoredUnderItsHash() throws Exception {
        CliProcess.Result up = runtime.up(CliProcess.PROJECT.resolve("examples/backup.yaml"));
        assertThat(up.exitCode()).as(up.output()).isZero();
        await().atMost(Duration.ofMinutes(2)).until(() -> {
            Pod store = runtime.client().pods().inNamespace(NAMESPACE).withName("s3proxy-0").get();
            return store != null && store.getStatus() != null && "Running".equals(store.getStatus().getPhase());
        });
        Cluster cluster = cluster("cassandra");
        List<InetSocketAddress> contactPoints = runtime.contactPoints(cluster);
        try (CqlSession session = runtime.session(runtime.superuser("cassandra"), contactPoints)) {
            RowsTable.create(session);
            RowsTable.write(session, ROWS);
        }

        long started = System.nanoTime();
        first = backUp("backup-1");
        System.out.printf("MEASURED backup 1: %d files, %d bytes referenced, %d uploaded, in %d s%n", first.getFiles(),
                first.getBytesReferenced(), first.getBytesUploaded(), Duration.ofNanos(System.nanoTime() - started).toSeconds());

        assertThat(first.getMembers()).hasSize(3).allSatisfy(member -> {
            assertThat(member.getState()).isEqualTo("DONE");
            assertThat(member.getFiles()).isPositive();
            assertThat(storeFile(member.getManifest())).as("manifest of %s", member.getMember()).isRegularFile();
        });
        assertThat(first.getBytesUploaded()).isPositive().isLessThanOrEqualTo(first.getBytesReferenced());
        List<Path> stored = contentObjects();
        objectsAfterFirst = stored.size();
        assertThat(stored).isNotEmpty().allSatisfy(object ->
                assertThat(sha256(object)).as("content of %s", object).isEqualTo(object.getFileName().toString()));
        assertThat(snapshotDirectoriesOnMembers()).as("snapshots are cleared after the upload").isEmpty();
        assertThat(runtime.kubectl("get", "backups")).contains("backup-1", "Completed");
    }

    @Test
    @Order(2)
    void aSecondBackupAfterMoreRowsUploadsOnlyTheNewFiles() throws Exception {
        List<InetSocketAddress> contactPoints = runtime.contactPoints(cluster("cassandra"));
        try (CqlSession session = runtime.session(runtime.superuser("cassandra"), contactPoints)) {
            RowsTable.write(session, ROWS, ROWS + MORE_ROWS);
            assertThat(RowsTable.readIds(session, ConsistencyLevel.ALL)).hasSize(ROWS + MORE_ROWS);
        }

        BackupStatus second = backUp("backup-2");
        System.out.printf("MEASURED backup 2: %d files, %d bytes referenced, %d uploaded (backup 1 uploaded %d)%n",
                second.getFiles(), second.getBytesReferenced(), second.getBytesUploaded(), first.getBytesUploaded());

        assertThat(second.getBytesUploaded()).isPositive().isLessThan(first.getBytesUploaded());
        assertThat(second.getBytesReferenced()).isGreaterThan(second.getBytesUploaded());
        long objects = contentObjects().size();
        assertThat(objects).as("objects stored after backup 2").isGreaterThan(objectsAfterFirst)
                .isLessThan(objectsAfterFirst + second.getFiles());
        assertThat(second.getMembers()).extracting(MemberBackupStatus::getManifest).allSatisfy(manifest ->
                assertThat(storeFile(manifest)).isRegularFile());
    }

    @Test
    @Order(3)
    void afterATruncateAnInPlaceRestoreOfBackup1BringsEveryRowBackWithNoMemberRestarted() throws Exception {
        Map<String, Integer> restartsBefore = restartCounts();
        List<InetSocketAddress> contactPoints = runtime.contactPoints(cluster("cassandra"));
        try (CqlSession session = runtime.session(runtime.superuser("cassandra"), contactPoints)) {
            session.execute(SimpleStatement.newInstance("TRUNCATE e2e.rows").setTimeout(Duration.ofMinutes(1)));
            assertThat(RowsTable.readIds(session, ConsistencyLevel.ALL)).isEmpty();

            RestoreSpec spec = new RestoreSpec();
            spec.setBackup("backup-1");
            spec.setMode(RestoreMode.InPlace);
            spec.setTables(List.of("e2e.rows"));
            Restore restore = new Restore();
            restore.setMetadata(new ObjectMetaBuilder().withName("restore-1").withNamespace(NAMESPACE).build());
            restore.setSpec(spec);
            long started = System.nanoTime();
            runtime.client().resource(restore).create();
            await().atMost(BACKUP_TIMEOUT).pollInterval(Duration.ofSeconds(2)).until(() -> {
                RestoreStatus status = restoreStatus("restore-1");
                return status != null && status.getPhase() != null && status.getPhase().finished();
            });
            RestoreStatus status = restoreStatus("restore-1");
            assertThat(status.getPhase()).as(String.valueOf(status.getConditions())).isEqualTo(BackupPhase.Completed);
            System.out.printf("MEASURED restore of backup 1 in place: %d files in %d s%n", status.getFiles(),
                    Duration.ofNanos(System.nanoTime() - started).toSeconds());

            assertThat(RowsTable.readIds(session, ConsistencyLevel.ALL)).as("every row of backup 1, read at ALL")
                    .hasSize(ROWS).allSatisfy(id -> assertThat(id).isLessThan(ROWS));
        }
        assertThat(restartCounts()).as("no member restarted").isEqualTo(restartsBefore);
        assertThat(runtime.kubectl("get", "restores")).contains("restore-1", "Completed");
    }

    private Map<String, Integer> restartCounts() {
        return runtime.client().pods().inNamespace(NAMESPACE).withLabel(Contract.Labels.CLUSTER, "cassandra").list().getItems()
                .stream().collect(Collectors.toMap(pod -> pod.getMetadata().getName() + "/" + pod.getMetadata().getUid(),
                        pod -> pod.getStatus().getContainerStatuses().stream().mapToInt(c -> c.getRestartCount()).sum()));
    }

    private RestoreStatus restoreStatus(String name) {
        Restore restore = runtime.client().resources(Restore.class).inNamespace(NAMESPACE).withName(name).get();
        return restore == null ? null : restore.getStatus();
    }

    private BackupStatus backUp(String name) {
        S3Target s3 = new S3Target();
        Pod store = runtime.client().pods().inNamespace(NAMESPACE).withName("s3proxy-0").get();
        assertThat(store).isNotNull();
        s3.setEndpoint("http://" + runtime.client().services().inNamespace(NAMESPACE).withName("s3proxy").get()
                .getSpec().getClusterIP() + ":8080");
        s3.setBucket(BUCKET);
        s3.setPrefix(PREFIX);
        s3.setPathStyle(true);
        s3.setCredentialsSecret("backup-store-credentials");
        BackupTarget target = new BackupTarget();
        target.setS3(s3);
        BackupSpec spec = new BackupSpec();
        spec.setCluster("cassandra");
        spec.setTarget(target);
        Backup backup = new Backup();
        backup.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
        backup.setSpec(spec);
        runtime.client().resource(backup).create();
        await().atMost(BACKUP_TIMEOUT).pollInterval(Duration.ofSeconds(2)).until(() -> {
            BackupStatus status = backupStatus(name);
            return status != null && status.getPhase() != null && status.getPhase().finished();
        });
        BackupStatus status = backupStatus(name);
        assertThat(status.getPhase()).as(String.valueOf(status.getConditions())).isEqualTo(BackupPhase.Completed);
        return status;
    }

    private BackupStatus backupStatus(String name) {
        Backup backup = runtime.client().resources(Backup.class).inNamespace(NAMESPACE).withName(name).get();
        return backup == null ? null : backup.getStatus();
    }

    /** The store's bucket on its volume: with S3Proxy's filesystem backend a key is a path under the bucket. */
    private Path bucket() {
        return volumeOf("data-s3proxy-0").resolve(BUCKET);
    }

    private Path storeFile(String key) {
        return bucket().resolve(key);
    }

    private List<Path> contentObjects() throws IOException {
        try (Stream<Path> files = Files.list(bucket().resolve(PREFIX).resolve("data"))) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    /** Every snapshots/<tag> directory on the members' volumes. */
    private Set<Path> snapshotDirectoriesOnMembers() throws IOException {
        Set<Path> found = new java.util.HashSet<>();
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            Path volume = volumeOf("data-cassandra-dc1-rack1-" + ordinal);
            try (Stream<Path> paths = Files.walk(volume.resolve("data/e2e"))) {
                found.addAll(paths.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().equals("snapshots"))
                        .collect(Collectors.toSet()));
            }
        }
        return found;
    }

    private Path volumeOf(String claimName) {
        PersistentVolumeClaim claim = runtime.client().persistentVolumeClaims().inNamespace(NAMESPACE).withName(claimName).get();
        assertThat(claim).as(claimName).isNotNull();
        PersistentVolume volume = runtime.client().persistentVolumes().withName(claim.getSpec().getVolumeName()).get();
        return Path.of(volume.getSpec().getLocal() != null ? volume.getSpec().getLocal().getPath()
                : volume.getSpec().getHostPath().getPath());
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            digest.update(in.readAllBytes());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
