package io.cassandraoperator.operator;

import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.api.backup.Backup;
import io.cassandraoperator.api.backup.BackupPhase;
import io.cassandraoperator.api.backup.Restore;
import io.cassandraoperator.api.backup.RestoreMode;
import io.cassandraoperator.api.backup.RestoreSpec;
import io.cassandraoperator.api.backup.RestoreStatus;
import io.cassandraoperator.operator.plan.RestorePlan;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static io.cassandraoperator.operator.OperatorHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An in-place Restore refused for bad input against the mock API: Failed with what to fix, no agent asked. */
class RestoreTest {
    private static final Duration STEP = Duration.ofSeconds(20);
    @RegisterExtension
    final OperatorHarness harness = new OperatorHarness();

    @Test
    void aRestoreOfABackupThatDoesNotExistFailsSayingSo() {
        harness.createReady("c", 1);
        create(restore("r1", "no-such-backup"));

        RestoreStatus status = awaitFinished("r1");
        assertThat(status.getPhase()).isEqualTo(BackupPhase.Failed);
        assertThat(status.getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getReason()).isEqualTo(RestorePlan.BACKUP_NOT_FOUND);
            assertThat(c.getMessage()).contains("Backup no-such-backup does not exist");
        });
        assertThat(harness.events(EventReason.RestoreFailed)).hasSize(1);
    }

    @Test
    void aRestoreOfABackupThatDidNotCompleteFailsBeforeAnyMemberIsAsked() {
        harness.createReady("c", 1);
        // No credentials Secret: the Backup fails, and a restore of it is refused.
        harness.api.client.resource(BackupTest.backup("b1", "c", "missing-secret")).create();
        await().atMost(STEP).until(() -> {
            var backup = harness.api.client.resources(Backup.class).inNamespace(NAMESPACE)
                    .withName("b1").get();
            return backup.getStatus() != null && backup.getStatus().getPhase() == BackupPhase.Failed;
        });
        create(restore("r1", "b1"));

        RestoreStatus status = awaitFinished("r1");
        assertThat(status.getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getReason()).isEqualTo(RestorePlan.BACKUP_NOT_COMPLETED);
            assertThat(c.getMessage()).contains("is not Completed (it is Failed)");
        });
    }

    private RestoreStatus awaitFinished(String name) {
        await().atMost(STEP).until(() -> {
            RestoreStatus status = status(name);
            return status != null && status.getPhase() != null && status.getPhase().finished();
        });
        return status(name);
    }

    private static Restore restore(String name, String backup) {
        RestoreSpec spec = new RestoreSpec();
        spec.setBackup(backup);
        spec.setMode(RestoreMode.InPlace);
        spec.setTables(List.of("e2e.rows"));
        Restore restore = new Restore();
        restore.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
        restore.setSpec(spec);
        return restore;
    }

    private void create(Restore restore) {
        harness.api.client.resource(restore).create();
    }

    private RestoreStatus status(String name) {
        Restore restore = harness.api.client.resources(Restore.class).inNamespace(NAMESPACE).withName(name).get();
        return restore == null ? null : restore.getStatus();
    }
}
