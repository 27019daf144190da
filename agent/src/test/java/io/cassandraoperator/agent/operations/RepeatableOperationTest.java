package io.cassandraoperator.agent.operations;

import io.cassandraoperator.agent.cassandra.FakeCassandraNode;
import io.cassandraoperator.agent.operations.RepeatableOperation.Outcome;
import io.cassandraoperator.api.agent.OperationState;
import io.cassandraoperator.api.agent.RunReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.RuntimeMBeanException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RepeatableOperationTest {

    @TempDir
    Path dataDir;

    private final FakeCassandraNode node = new FakeCassandraNode();

    @Test
    void aRestartedAgentNeitherRepeatsNorForgetsTheLastFinishedRun() throws Exception {
        RepeatableOperation cleanup = RepeatableOperation.cleanup(node, dataDir);
        assertThat(cleanup.start("round-1").outcome()).isEqualTo(Outcome.STARTED);
        await().until(() -> cleanup.report(Optional.of("round-1")).state() == OperationState.DONE);

        RepeatableOperation afterRestart = RepeatableOperation.cleanup(node, dataDir);

        RunReport remembered = afterRestart.report(Optional.of("round-1"));
        assertThat(remembered.state()).isEqualTo(OperationState.DONE);
        assertThat(remembered.loadBytesBefore()).isEqualTo(2048);
        assertThat(afterRestart.report(Optional.empty()).id()).isEqualTo("round-1");
        assertThat(afterRestart.start("round-1").outcome()).isEqualTo(Outcome.EXISTING);
        assertThat(node.cleanupCalls).hasValue(1);

        assertThat(afterRestart.start("round-2").outcome()).isEqualTo(Outcome.STARTED);
        await().until(() -> afterRestart.report(Optional.of("round-2")).state() == OperationState.DONE);
        assertThat(RepeatableOperation.cleanup(node, dataDir).report(Optional.empty()).id()).isEqualTo("round-2");
        assertThat(node.cleanupCalls).hasValue(2);
    }

    @Test
    void aRunInterruptedByARestartMayBeStartedAgain() throws Exception {
        node.holdOperation = new CountDownLatch(1);
        RepeatableOperation repair = RepeatableOperation.repair(node, dataDir);
        repair.start("replace-1");

        RepeatableOperation afterRestart = RepeatableOperation.repair(node, dataDir);

        assertThat(afterRestart.report(Optional.of("replace-1")).state()).isEqualTo(OperationState.NOT_STARTED);
        assertThat(afterRestart.start("replace-1").outcome()).isEqualTo(Outcome.STARTED);
        node.holdOperation.countDown();
        await().until(() -> afterRestart.report(Optional.of("replace-1")).state() == OperationState.DONE);
    }

    @Test
    void aFailedRunReportsCassandrasMessageIsNotRecordedAndMayBeRetried() throws Exception {
        node.operationFailure = new RuntimeMBeanException(new IllegalStateException("Repair job has failed"));
        RepeatableOperation repair = RepeatableOperation.repair(node, dataDir);
        repair.start("replace-1");
        await().until(() -> repair.report(Optional.of("replace-1")).state() == OperationState.FAILED);
        assertThat(repair.report(Optional.of("replace-1")).message()).isEqualTo("Repair job has failed");
        assertThat(repair.report(Optional.of("replace-1")).loadAfter()).isEqualTo("2 KiB");
        assertThat(RepeatableOperation.repair(node, dataDir).report(Optional.empty()).state())
                .isEqualTo(OperationState.NOT_STARTED);

        node.operationFailure = null;
        assertThat(repair.start("replace-1").outcome()).isEqualTo(Outcome.STARTED);
        await().until(() -> repair.report(Optional.of("replace-1")).state() == OperationState.DONE);
        assertThat(node.repairCalls).hasValue(2);
    }

    @Test
    void anUnreadableRecordIsIgnored() throws Exception {
        Files.writeString(dataDir.resolve("cassandra-operator-cleanup.json"), "{not json");

        assertThat(RepeatableOperation.cleanup(node, dataDir).report(Optional.empty()).state())
                .isEqualTo(OperationState.NOT_STARTED);
    }
}
