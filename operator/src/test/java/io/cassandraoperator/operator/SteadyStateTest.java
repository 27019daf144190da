package io.cassandraoperator.operator;

import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static io.cassandraoperator.operator.OperatorHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A reconcile with nothing to change costs no write request: reads come from the informer caches. */
class SteadyStateTest {
    @RegisterExtension
    final OperatorHarness harness = new OperatorHarness();

    @Test
    void aReconcileWithNothingToChangeWritesNothing() throws Exception {
        harness.createReady("c", 3, 1);
        // Let the last writes' own events settle before counting.
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10)).until(() -> true);
        harness.api.drainRequests();
        int before = harness.reconciles.get();

        // An event on a watched object that changes nothing the operator cares about.
        harness.api.client.pods().inNamespace(NAMESPACE).withName("c-dc1-rack1-0")
                .edit(p -> { p.getMetadata().getLabels().put("touched-by-test", "yes"); return p; });
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.reconciles.get() > before);
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> true);

        List<String> writes = harness.api.drainRequests().stream()
                .filter(r -> !"GET".equals(r.getMethod()))
                .filter(r -> !r.getPath().contains("/pods/c-dc1-rack1-0"))
                .map(RecordedRequest::getRequestLine).toList();
        assertThat(writes).isEmpty();
    }
}
