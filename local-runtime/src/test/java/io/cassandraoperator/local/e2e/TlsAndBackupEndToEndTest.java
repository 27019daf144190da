package io.cassandraoperator.local.e2e;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
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
import io.cassandraoperator.local.baseline.BareMembers;
import io.cassandraoperator.local.cli.CliProcess;
import io.cassandraoperator.local.cli.ClusterCaTrust;
import io.cassandraoperator.local.cli.SuperuserLogin;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * Issues 19 and 18 end to end on one cluster of 3 with real Cassandra, from examples/backup.yaml: S3Proxy as a pod (a
 * real S3 server) and a Cluster created without any TLS field. It comes up with mutual internode TLS and required
 * client TLS from the cluster CA the operator generated; clients use the CA from {@code <cluster>-ca-cert}; a member
 * certificate is reissued without a restart. Then backups: a Backup completes with every member's manifest stored;
 * after more rows a second Backup uploads only the new files; after a TRUNCATE an in-place Restore of the first brings
 * every one of its rows back, read at ALL, with no member restarted. The steps share the cluster and run in order (one
 * cluster instead of two keeps the suite inside its time budget).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsAndBackupEndToEndTest extends EndToEndTest {
    private static final int ROWS = 10_000;
    private static final int BACKUP_ROWS = 20_000;
    private static final int MORE_ROWS = 1_000;
    private static final String BUCKET = "cassandra-backups";
    private static final String PREFIX = "cassandra";
    private static final Duration BACKUP_TIMEOUT = Duration.ofMinutes(3);
    /** Outside the runtime's pool of pod and Service addresses. */
    private static final String INTRUDER_ADDRESS = "127.0.99.1";

    private String name;
    private SuperuserLogin superuser;
    private List<InetSocketAddress> contactPoints;
    private List<Pod> pods;
    private byte[] caPem;
    private BackupStatus first;
    private long objectsAfterFirst;

    TlsAndBackupEndToEndTest() throws IOException {
        super(LocalRuntimeFixture.of("tls-backup"));
    }

    @BeforeAll
    void upWithThreeMembers() throws Exception {
        CliProcess.Result up = runtime.up(CliProcess.PROJECT.resolve("examples/backup.yaml"));
        assertThat(up.exitCode()).as(up.output()).isZero();
        await().atMost(Duration.ofMinutes(2)).until(() -> {
            Pod store = runtime.client().pods().inNamespace(NAMESPACE).withName("s3proxy-0").get();
            return store != null && store.getStatus() != null && "Running".equals(store.getStatus().getPhase());
        });
        Cluster cluster = onlyCluster();
        name = cluster.getMetadata().getName();
        contactPoints = runtime.contactPoints(cluster);
        superuser = runtime.superuser(name);
        pods = runtime.client().pods().inNamespace(NAMESPACE).withLabel(Contract.Labels.CLUSTER, name).list().getItems();
        assertThat(pods).hasSize(3);
        Secret caCert = runtime.client().secrets().inNamespace(NAMESPACE).withName(name + Contract.TlsSecrets.CA_CERT_SUFFIX).get();
        assertThat(caCert).as("the CA certificate Secret clients read").isNotNull();
        assertThat(caCert.getData()).containsOnlyKeys(Contract.TlsSecrets.CA_CERTIFICATE);
        caPem = Base64.getDecoder().decode(caCert.getData().get(Contract.TlsSecrets.CA_CERTIFICATE));
        assertThat(superuser.tls()).as("the login carries the cluster CA").isPresent();
    }

    @Test
    @Order(1)
    void aDriverSessionWithTheCaWritesAtQuorumAndReadsEveryRowAtAll() throws Exception {
        try (CqlSession session = runtime.session(superuser, contactPoints)) {
            RowsTable.create(session);
            RowsTable.write(session, ROWS);
            assertThat(RowsTable.readIds(session, ConsistencyLevel.QUORUM)).hasSize(ROWS);
            assertThat(RowsTable.readIds(session, ConsistencyLevel.ALL)).hasSize(ROWS);
            Row local = session.execute("SELECT count(*) FROM system.peers").one();
            assertThat(local.getLong(0)).as("each member sees the two others over internode TLS").isEqualTo(2);
        }
    }

    @Test
    @Order(2)
    void aPlaintextCqlConnectionIsRefused() {
        AllNodesFailedException refused = catchThrowableOfType(AllNodesFailedException.class, () -> CqlSession.builder()
                .addContactPoints(contactPoints).withLocalDatacenter("dc1")
                .withAuthCredentials(superuser.username(), superuser.password()).build().close());
        assertThat(refused).as("a session without TLS must not connect").isNotNull();
    }

    @Test
    @Order(3)
    void cqlSpeaksTls12Or13WithACertificateFromTheClusterCaNamingTheMember() throws Exception {
        for (InetSocketAddress member : contactPoints) {
            try (SSLSocket socket = handshake(ClusterCaTrust.context(caPem), member)) {
                assertThat(socket.getSession().getProtocol()).isIn("TLSv1.2", "TLSv1.3");
                X509Certificate presented = (X509Certificate) socket.getSession().getPeerCertificates()[0];
                Set<String> names = new HashSet<>();
                presented.getSubjectAlternativeNames().forEach(n -> names.add(String.valueOf(n.get(1))));
                assertThat(names).as("the member Service's ClusterIP is a name on its certificate")
                        .contains(member.getAddress().getHostAddress());
            }
        }
        assertThat(openssl("-connect", contactPoints.get(0).getAddress().getHostAddress() + ":" + Contract.Ports.CQL))
                .contains("Verification: OK").containsPattern("Protocol version: TLSv1\\.[23]");
    }

    @Test
    @Order(4)
    void internodeTlsNeedsACertificateFromTheClusterCa() throws Exception {
        String podIp = pods.get(0).getStatus().getPodIP();
        InetSocketAddress storage = new InetSocketAddress(podIp, Contract.Ports.INTRA_NODE);
        // Without a client certificate the member ends the handshake (TLS 1.3 reports it at the first read).
        Throwable withoutCertificate = catchThrowable(() -> {
            try (SSLSocket socket = handshake(ClusterCaTrust.context(caPem), storage)) {
                socket.setSoTimeout(10_000);
                socket.getInputStream().read();
            }
        });
        assertThat(withoutCertificate).as("a connection without a member certificate").isInstanceOf(IOException.class);

        // With another member's certificate and key the handshake completes: TLS on 7000, mutual.
        String member = pods.get(1).getMetadata().getName();
        Secret memberTls = runtime.client().secrets().inNamespace(NAMESPACE).withName(name + Contract.TlsSecrets.MEMBER_SUFFIX).get();
        byte[] certificate = Base64.getDecoder().decode(memberTls.getData().get(member + Contract.TlsSecrets.CERTIFICATE_EXTENSION));
        byte[] key = Base64.getDecoder().decode(memberTls.getData().get(member + Contract.TlsSecrets.KEY_EXTENSION));
        try (SSLSocket socket = handshake(mutualContext(certificate, key), storage)) {
            assertThat(socket.getSession().getProtocol()).isIn("TLSv1.2", "TLSv1.3");
            assertThat(socket.getSession().getPeerCertificates()).isNotEmpty();
        }
        Path dir = Files.createTempDirectory("tls-e2e-");
        try {
            Path cert = Files.write(dir.resolve("member.crt"), certificate);
            Path keyFile = Files.write(dir.resolve("member.key"), key);
            assertThat(openssl("-connect", podIp + ":" + Contract.Ports.INTRA_NODE, "-cert", cert.toString(), "-key", keyFile.toString()))
                    .contains("Verification: OK").containsPattern("Protocol version: TLSv1\\.[23]");
        } finally {
            try (var files = Files.list(dir)) {
                files.forEach(f -> f.toFile().delete());
            }
            Files.delete(dir);
        }
    }

    /**
     * A bare Cassandra given the cluster's name and its seeds but no certificate from the cluster CA gets no answer
     * on port 7000: it never appears in {@code system.peers} of any member.
     */
    @Test
    @Order(5)
    void aNodeWithoutACertificateNeverJoins() throws Exception {
        Path dir = Files.createTempDirectory("tls-intruder-");
        String seeds = String.join(",", contactPoints.stream().map(a -> a.getAddress().getHostAddress()).toList());
        try (BareMembers bare = new BareMembers(CliProcess.PROJECT, dir, seeds);
             CqlSession session = runtime.session(superuser, contactPoints)) {
            Process intruder = bare.start("intruder", INTRUDER_ADDRESS, name);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            boolean sawGossipAttempt = false;
            while (System.nanoTime() < deadline) {
                for (Row peer : session.execute("SELECT peer FROM system.peers")) {
                    assertThat(peer.getInetAddress("peer")).as("the intruder in system.peers").isNotEqualTo(InetAddress.getByName(INTRUDER_ADDRESS));
                }
                sawGossipAttempt |= Files.exists(bare.log("intruder")) && Files.readString(bare.log("intruder")).contains("seeds");
                if (!intruder.isAlive()) {
                    break;
                }
                Thread.sleep(2_000);
            }
            assertThat(sawGossipAttempt).as("the intruder was configured with the cluster's seeds; see " + bare.log("intruder")).isTrue();
            if (!intruder.isAlive()) {
                assertThat(Files.readString(bare.log("intruder"))).as("Cassandra gave up: no seed answered it")
                        .containsAnyOf("Unable to gossip with any peers", "Unable to contact any seeds");
            }
            assertThat(RowsTable.readIds(session, ConsistencyLevel.ALL)).as("every row still at ALL on the three members").hasSize(ROWS);
        } finally {
            org.apache.commons.io.file.PathUtils.deleteDirectory(dir);
        }
    }

    /** The pod hardening of every member, checked here too since this class brings an example up in verify. */
    @Test
    @Order(6)
    void membersRunAsTheirNonRootUserOnAReadOnlyRoot() throws Exception {
        MemberHardening.assertRunHardened(pods);
    }

    /**
     * Rotation without restarts: a member certificate issued anew (its entries removed from the member Secret, as a
     * renewal replaces them) reaches Cassandra without a restart: the agent rewrites the keystore and Cassandra
     * reloads it over JMX.
     */
    @Test
    @Order(7)
    void aReissuedMemberCertificateIsServedWithoutARestart() throws Exception {
        Pod pod = pods.get(0);
        String member = pod.getMetadata().getName();
        InetSocketAddress cql = new InetSocketAddress(pod.getStatus().getPodIP(), Contract.Ports.CQL);
        BigInteger before = presentedSerial(cql);
        Map<String, Integer> restarts = restartCounts();
        long started = System.nanoTime();

        runtime.client().secrets().inNamespace(NAMESPACE).withName(name + Contract.TlsSecrets.MEMBER_SUFFIX).edit(secret -> {
            secret.getData().remove(member + Contract.TlsSecrets.CERTIFICATE_EXTENSION);
            secret.getData().remove(member + Contract.TlsSecrets.KEY_EXTENSION);
            return secret;
        });

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                .until(() -> !presentedSerial(cql).equals(before));
        System.out.printf("MEASURED rotation: %s serves a new certificate %d s after its entries were removed%n", member,
                Duration.ofNanos(System.nanoTime() - started).toSeconds());
        assertThat(restartCounts()).as("no member restarted, no pod replaced").isEqualTo(restarts);
        try (CqlSession session = runtime.session(superuser, contactPoints)) {
            assertThat(RowsTable.readIds(session, ConsistencyLevel.ALL)).hasSize(ROWS);
        }
    }

    private BigInteger presentedSerial(InetSocketAddress address) throws IOException {
        try (SSLSocket socket = handshake(ClusterCaTrust.context(caPem), address)) {
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    /** Per pod UID, its container's restart count. */
    private Map<String, Integer> restartCounts() {
        return runtime.client().pods().inNamespace(NAMESPACE).withLabel(Contract.Labels.CLUSTER, name).list().getItems().stream()
                .collect(Collectors.toMap(p -> p.getMetadata().getUid(), p -> p.getStatus().getContainerStatuses().get(0).getRestartCount()));
    }

    private static SSLSocket handshake(SSLContext context, InetSocketAddress address) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        socket.connect(address, 10_000);
        socket.setSoTimeout(30_000);
        socket.startHandshake();
        return socket;
    }

    private SSLContext mutualContext(byte[] certificatePem, byte[] keyPem) throws Exception {
        String key = new String(keyPem, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey privateKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(key)));
        Certificate[] chain = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(certificatePem))
                .toArray(Certificate[]::new);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("member", privateKey, new char[0], chain);
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(caPem)));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    /** {@code openssl s_client -brief} against the CA from the Secret; its output. */
    private String openssl(String... args) throws Exception {
        Path ca = Files.createTempFile("tls-e2e-ca-", ".crt");
        try {
            Files.write(ca, caPem);
            List<String> command = new java.util.ArrayList<>(List.of("openssl", "s_client", "-brief", "-CAfile", ca.toString()));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("openssl ended").isTrue();
            return output;
        } finally {
            Files.delete(ca);
        }
    }

    @Test
    @Order(8)
    void aBackupCompletesWithEveryMembersManifestAndEveryFileStoredUnderItsHash() throws Exception {
        try (CqlSession session = runtime.session(superuser, contactPoints)) {
            RowsTable.write(session, BACKUP_ROWS);
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
    @Order(9)
    void aSecondBackupAfterMoreRowsUploadsOnlyTheNewFiles() throws Exception {
        try (CqlSession session = runtime.session(superuser, contactPoints)) {
            RowsTable.write(session, BACKUP_ROWS, BACKUP_ROWS + MORE_ROWS);
            assertThat(RowsTable.readIds(session, ConsistencyLevel.ALL)).hasSize(BACKUP_ROWS + MORE_ROWS);
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
    @Order(10)
    void afterATruncateAnInPlaceRestoreOfBackup1BringsEveryRowBackWithNoMemberRestarted() throws Exception {
        Map<String, Integer> restartsBefore = restartCounts();
        try (CqlSession session = runtime.session(superuser, contactPoints)) {
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
                    .hasSize(BACKUP_ROWS).allSatisfy(id -> assertThat(id).isLessThan(BACKUP_ROWS));
        }
        assertThat(restartCounts()).as("no member restarted").isEqualTo(restartsBefore);
        assertThat(runtime.kubectl("get", "restores")).contains("restore-1", "Completed");
    }

    private RestoreStatus restoreStatus(String name) {
        Restore restore = runtime.client().resources(Restore.class).inNamespace(NAMESPACE).withName(name).get();
        return restore == null ? null : restore.getStatus();
    }

    private BackupStatus backUp(String backupName) {
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
        spec.setCluster(name);
        spec.setTarget(target);
        Backup backup = new Backup();
        backup.setMetadata(new ObjectMetaBuilder().withName(backupName).withNamespace(NAMESPACE).build());
        backup.setSpec(spec);
        runtime.client().resource(backup).create();
        await().atMost(BACKUP_TIMEOUT).pollInterval(Duration.ofSeconds(2)).until(() -> {
            BackupStatus status = backupStatus(backupName);
            return status != null && status.getPhase() != null && status.getPhase().finished();
        });
        BackupStatus status = backupStatus(backupName);
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
            Path volume = volumeOf("data-" + name + "-dc1-rack1-" + ordinal);
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
