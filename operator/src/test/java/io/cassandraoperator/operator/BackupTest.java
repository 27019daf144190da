package io.cassandraoperator.operator;

import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.api.agent.BackupRequest;
import io.cassandraoperator.api.agent.OperationState;
import io.cassandraoperator.api.backup.Backup;
import io.cassandraoperator.api.backup.BackupPhase;
import io.cassandraoperator.api.backup.BackupSpec;
import io.cassandraoperator.api.backup.BackupStatus;
import io.cassandraoperator.api.backup.BackupTarget;
import io.cassandraoperator.api.backup.MemberBackupStatus;
import io.cassandraoperator.api.backup.S3Target;
import io.cassandraoperator.operator.plan.BackupPlan;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.cassandraoperator.operator.OperatorHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A Backup's round against the mock API and fake agents: what the operator records, asks and concludes. */
class BackupTest {
    private static final Duration STEP = Duration.ofSeconds(20);
    private static final List<String> MEMBERS = List.of("c-dc1-rack1-0", "c-dc1-rack1-1", "c-dc1-rack1-2");
    @RegisterExtension
    final OperatorHarness harness = new OperatorHarness();

    @Test
    void everyMemberIsAskedUnderOneTagAndTheBackupCompletesOnlyWhenEveryManifestIsStored() {
        harness.createReady("c", 3);
        credentials("store-keys");
        create(backup("b1", "c", "store-keys"));

        await().atMost(STEP).until(() -> harness.agents.backupRuns().size() == 3);
        assertThat(status("b1").getPhase()).isEqualTo(BackupPhase.Running);
        assertThat(status("b1").getMembers()).extracting(MemberBackupStatus::getMember).containsExactlyElementsOf(MEMBERS);
        List<BackupRequest> requests = harness.agents.backupRequests;
        assertThat(requests).extracting(BackupRequest::snapshotTag).containsOnly(status("b1").getSnapshotTag());
        assertThat(requests).extracting(BackupRequest::manifestKey).containsExactlyInAnyOrder(
                "prod/manifests/test/c/b1/c-dc1-rack1-0.json", "prod/manifests/test/c/b1/c-dc1-rack1-1.json",
                "prod/manifests/test/c/b1/c-dc1-rack1-2.json");
        assertThat(requests).allSatisfy(r -> {
            assertThat(r.store().accessKeyId()).isEqualTo("AKID");
            assertThat(r.store().secretAccessKey()).isEqualTo("SECRET");
            assertThat(r.store().bucket()).isEqualTo("backups");
            assertThat(r.store().pathStyle()).isTrue();
            assertThat(r.keyPrefix()).isEqualTo("prod/");
            assertThat(r.bytesPerSecond()).isEqualTo(1_000_000L);
        });
        // Still uploading: never Completed while a member has not stored its manifest.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> status("b1").getPhase() == BackupPhase.Running);

        harness.agents.finishBackups(OperationState.DONE, null);
        await().atMost(STEP).until(() -> status("b1").getPhase() == BackupPhase.Completed);
        BackupStatus done = status("b1");
        assertThat(done.getFiles()).isEqualTo(6);
        assertThat(done.getBytesReferenced()).isEqualTo(3000L);
        assertThat(done.getBytesUploaded()).isEqualTo(1800L);
        assertThat(done.getManifestLocation()).isEqualTo("s3://backups/prod/manifests/test/c/b1/");
        assertThat(done.getEndTime()).isNotNull();
        assertThat(done.getMembers()).allSatisfy(m -> assertThat(m.getManifest()).isNotNull());
        assertThat(harness.events(EventReason.BackupStarted)).hasSize(1);
        assertThat(harness.events(EventReason.BackupCompleted)).hasSize(1);
        // Each member was asked once: a finished Backup asks nothing more.
        assertThat(requests).hasSize(3);
    }

    @Test
    void aBackupOfAClusterThatDoesNotExistFailsSayingSoAndAsksNoAgent() {
        harness.createReady("c", 1);
        credentials("store-keys");
        create(backup("b1", "missing", "store-keys"));

        await().atMost(STEP).until(() -> status("b1") != null && status("b1").getPhase() == BackupPhase.Failed);
        assertThat(status("b1").getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getType()).isEqualTo(BackupPlan.FAILED);
            assertThat(c.getReason()).isEqualTo(BackupPlan.CLUSTER_NOT_FOUND);
            assertThat(c.getMessage()).contains("Cluster missing does not exist in namespace test");
        });
        assertThat(harness.agents.backupRequests).isEmpty();
        assertThat(harness.events(EventReason.BackupFailed)).hasSize(1);
    }

    @Test
    void aTargetWithoutItsCredentialsSecretFailsSayingWhatToCreate() {
        harness.createReady("c", 1);
        create(backup("b1", "c", "no-such-secret"));

        await().atMost(STEP).until(() -> status("b1") != null && status("b1").getPhase() == BackupPhase.Failed);
        assertThat(status("b1").getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getReason()).isEqualTo(BackupPlan.CREDENTIALS_NOT_FOUND);
            assertThat(c.getMessage()).contains("Secret no-such-secret").contains("accessKeyId and secretAccessKey");
        });
        assertThat(harness.agents.backupRequests).isEmpty();
    }

    @Test
    void aMembersFailureFailsTheBackupWithTheAgentsMessage() {
        harness.createReady("c", 3);
        credentials("store-keys");
        harness.agents.backupOutcome = OperationState.FAILED;
        harness.agents.backupFailure = "bucket backups does not exist: create it, or name an existing one";
        create(backup("b1", "c", "store-keys"));

        await().atMost(STEP).until(() -> status("b1") != null && status("b1").getPhase() == BackupPhase.Failed);
        assertThat(status("b1").getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getReason()).isEqualTo(BackupPlan.MEMBER_FAILED);
            assertThat(c.getMessage()).contains("bucket backups does not exist");
        });
    }

    @Test
    void anAgentThatLostTheRunFailsTheBackupAndARestartedOperatorAsksNoMemberAgain() {
        harness.createReady("c", 3);
        credentials("store-keys");
        create(backup("b1", "c", "store-keys"));
        await().atMost(STEP).until(() -> status("b1") != null && status("b1").getMembers().stream()
                .allMatch(m -> OperationState.RUNNING.name().equals(m.getState())));

        // The operator restarts mid-run: it follows the recorded run, asking no member to start again.
        harness.stopOperator();
        harness.startOperator();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> harness.agents.backupRequests.size() == 3);

        harness.agents.forgetRunningBackups();
        await().atMost(STEP).until(() -> status("b1").getPhase() == BackupPhase.Failed);
        assertThat(status("b1").getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getReason()).isEqualTo(BackupPlan.RUN_LOST);
            assertThat(c.getMessage()).contains("restarted during the upload").contains("create a new Backup");
        });
        assertThat(harness.agents.backupRequests).hasSize(3);
    }

    private void credentials(String name) {
        harness.api.client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(name).build())
                .withStringData(Map.of(Contract.BackupCredentials.ACCESS_KEY_ID, "AKID",
                        Contract.BackupCredentials.SECRET_ACCESS_KEY, "SECRET"))
                .build()).create();
    }

    static Backup backup(String name, String cluster, String credentialsSecret) {
        S3Target s3 = new S3Target();
        s3.setEndpoint("http://127.0.0.1:9");
        s3.setBucket("backups");
        s3.setPrefix("prod");
        s3.setPathStyle(true);
        s3.setCredentialsSecret(credentialsSecret);
        BackupTarget target = new BackupTarget();
        target.setS3(s3);
        BackupSpec spec = new BackupSpec();
        spec.setCluster(cluster);
        spec.setTarget(target);
        spec.setBytesPerSecond(1_000_000L);
        Backup backup = new Backup();
        backup.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
        backup.setSpec(spec);
        return backup;
    }

    private void create(Backup backup) {
        harness.api.client.resource(backup).create();
    }

    private BackupStatus status(String name) {
        Backup backup = harness.api.client.resources(Backup.class).inNamespace(NAMESPACE).withName(name).get();
        return backup == null ? null : backup.getStatus();
    }
}
