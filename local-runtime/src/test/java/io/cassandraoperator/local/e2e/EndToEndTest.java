package io.cassandraoperator.local.e2e;

import com.datastax.oss.driver.api.core.CqlSession;
import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.local.cli.CliProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An end-to-end test: the CLI as a process, the real operator, agents and Cassandra on one local runtime, which the
 * test's steps share (a Cassandra node costs ~1 GB and ~20 s to start) and which is stopped, every process of it by
 * PID, after the last step.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EndToEndTest {
    static final String NAMESPACE = LocalRuntimeFixture.NAMESPACE;

    final LocalRuntimeFixture runtime;

    EndToEndTest(LocalRuntimeFixture runtime) {
        this.runtime = runtime;
    }

    @AfterAll
    final void stopRuntime() throws Exception {
        runtime.close();
    }

    Cluster cluster(String name) {
        return runtime.client().resources(Cluster.class).inNamespace(NAMESPACE).withName(name).get();
    }

    /** The one Cluster an example's manifest creates. */
    Cluster onlyCluster() {
        return runtime.client().resources(Cluster.class).inNamespace(NAMESPACE).list().getItems().get(0);
    }

    /** {@code examples/cluster.yaml} brought up, and {@code rows} rows written at QUORUM: the Cluster it made. */
    Cluster upExampleWithRows(int rows) throws Exception {
        CliProcess.Result up = runtime.up(CliProcess.PROJECT.resolve("examples/cluster.yaml"));
        assertThat(up.exitCode()).as(up.output()).isZero();
        Cluster cluster = onlyCluster();
        try (CqlSession session = runtime.session(runtime.superuser(cluster.getMetadata().getName()), runtime.contactPoints(cluster))) {
            RowsTable.create(session);
            RowsTable.write(session, rows);
        }
        return cluster;
    }

    MemberAgents agents(String cluster, Duration timeout) {
        return MemberAgents.of(runtime.client(), cluster, timeout);
    }
}
