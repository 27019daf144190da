package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.ClusterStatus;
import io.cassandraoperator.operator.TestClusters;
import io.cassandraoperator.api.agent.BackupReport;
import io.cassandraoperator.api.agent.OperationState;
import io.cassandraoperator.api.backup.Backup;
import io.cassandraoperator.api.backup.BackupPhase;
import io.cassandraoperator.api.backup.BackupSpec;
import io.cassandraoperator.api.backup.BackupStatus;
import io.cassandraoperator.api.backup.BackupTarget;
import io.cassandraoperator.api.backup.S3Target;
import io.cassandraoperator.operator.plan.MemberAnswer;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class BackupPlanTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void aNewBackupStartsEveryMemberOfTheSpecUnderOneTag() {
        Cluster cluster = ready(TestClusters.cluster("c", "ns", 2, 1));

        BackupPlan.Step step = BackupPlan.next(backup(), Optional.of(cluster));

        assertThat(step).isEqualTo(new BackupPlan.Start("backup-b1-0123abcd",
                List.of("c-dc1-rack1-0", "c-dc1-rack1-1", "c-dc1-rack2-0")));
    }

    @Test
    void aClusterThatIsNotReadyIsWaitedFor() {
        Cluster cluster = TestClusters.cluster("c", "ns", 3);

        assertThat(BackupPlan.next(backup(), Optional.of(cluster))).isInstanceOf(BackupPlan.Wait.class);
    }

    @Test
    void aMissingClusterFailsAndAFinishedBackupDoesNothing() {
        assertThat(BackupPlan.next(backup(), Optional.empty())).isInstanceOfSatisfying(BackupPlan.Fail.class,
                fail -> assertThat(fail.reason()).isEqualTo(BackupPlan.CLUSTER_NOT_FOUND));
        Backup done = backup();
        done.setStatus(new BackupStatus());
        done.getStatus().setPhase(BackupPhase.Completed);
        assertThat(BackupPlan.next(done, Optional.empty())).isInstanceOf(BackupPlan.Finished.class);
    }

    @Test
    void completedOnlyWhenEveryMemberIsDoneWithItsManifest() {
        BackupStatus started = started("m0", "m1");

        BackupStatus oneDone = BackupPlan.progress(started, Map.of(
                "m0", MemberAnswer.of(done("m0")),
                "m1", MemberAnswer.of(new BackupReport("uid", OperationState.RUNNING, null, 3, 300L, 100L, null))), NOW);
        assertThat(oneDone.getPhase()).isEqualTo(BackupPhase.Running);

        BackupStatus unreachable = BackupPlan.progress(oneDone, Map.of("m1", MemberAnswer.unreachable("connection refused")), NOW);
        assertThat(unreachable.getPhase()).isEqualTo(BackupPhase.Running);
        assertThat(unreachable.getMembers().get(1).getMessage()).contains("connection refused");

        BackupStatus all = BackupPlan.progress(unreachable, Map.of("m1", MemberAnswer.of(done("m1"))), NOW);
        assertThat(all.getPhase()).isEqualTo(BackupPhase.Completed);
        assertThat(all.getBytesReferenced()).isEqualTo(2000L);
        assertThat(all.getBytesUploaded()).isEqualTo(1200L);
        assertThat(all.getFiles()).isEqualTo(8);
        assertThat(all.getEndTime()).isEqualTo(NOW.toString());
    }

    @Test
    void aDoneReportWithoutAManifestIsNotCompleted() {
        BackupStatus status = BackupPlan.progress(started("m0"), Map.of(
                "m0", MemberAnswer.of(new BackupReport("uid", OperationState.DONE, null, 4, 1000L, 600L, null))), NOW);

        assertThat(status.getPhase()).isEqualTo(BackupPhase.Running);
    }

    @Test
    void aRunTheAgentNoLongerKnowsFailsTheBackup() {
        BackupStatus running = BackupPlan.progress(started("m0"), Map.of(
                "m0", MemberAnswer.of(new BackupReport("uid", OperationState.RUNNING, null, 3, 300L, 100L, null))), NOW);

        BackupStatus lost = BackupPlan.progress(running, Map.of("m0", MemberAnswer.of(BackupReport.notStarted("uid"))), NOW);

        assertThat(lost.getPhase()).isEqualTo(BackupPhase.Failed);
        assertThat(lost.getConditions()).singleElement().satisfies(c -> assertThat(c.getReason()).isEqualTo(BackupPlan.RUN_LOST));
    }

    @Test
    void aMemberNeverReachedIsFollowedAsNotAsked() {
        Backup backup = backup();
        backup.setStatus(started("m0", "m1"));
        backup.getStatus().getMembers().get(0).setState(OperationState.RUNNING.name());

        BackupPlan.Step step = BackupPlan.next(backup, Optional.of(TestClusters.cluster("c", "ns", 2)));

        assertThat(step).isEqualTo(new BackupPlan.Follow(List.of("m1"), List.of("m0")));
    }

    private static Cluster ready(Cluster cluster) {
        cluster.setStatus(new ClusterStatus());
        cluster.getStatus().getConditions().add(new ConditionBuilder().withType(DesiredStatus.READY).withStatus("True").build());
        return cluster;
    }

    private static BackupReport done(String member) {
        return new BackupReport("uid", OperationState.DONE, null, 4, 1000L, 600L, "manifests/" + member + ".json");
    }

    private static BackupStatus started(String... members) {
        return BackupPlan.started(backup(), new BackupPlan.Start("tag", List.of(members)), NOW);
    }

    private static Backup backup() {
        S3Target s3 = new S3Target();
        s3.setBucket("backups");
        s3.setCredentialsSecret("keys");
        BackupTarget target = new BackupTarget();
        target.setS3(s3);
        BackupSpec spec = new BackupSpec();
        spec.setCluster("c");
        spec.setTarget(target);
        Backup backup = new Backup();
        backup.setMetadata(new ObjectMetaBuilder().withName("b1").withNamespace("ns").withUid("0123abcd-ffff").build());
        backup.setSpec(spec);
        return backup;
    }
}
