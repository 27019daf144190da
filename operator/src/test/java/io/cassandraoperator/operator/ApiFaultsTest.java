package io.cassandraoperator.operator;

import io.cassandraoperator.api.Contract;
import io.cassandraoperator.operator.model.AgentTokenSecret;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static io.cassandraoperator.operator.OperatorHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A scale-up through an API server that answers 500 and 409, applies writes it reports as failed, and drops watches. */
class ApiFaultsTest {
    @RegisterExtension
    final OperatorHarness harness = new OperatorHarness();

    @Test
    void aScaleUpConvergesThroughFaultsAndNothingHappensTwice() {
        // Restarted with faults on, so that its watches are opened (and dropped) by the faulty server.
        harness.stopOperator();
        harness.api.faults.enabled = true;
        harness.startOperator();
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() -> {
            if (harness.cluster("c").get() == null) {
                harness.create(TestClusters.cluster("c", NAMESPACE, 3));
            }
            return true;
        });
        harness.awaitReadyWithin("c", 3, Duration.ofSeconds(90));
        String token = AgentTokenSecret.token(harness.api.client.secrets().inNamespace(NAMESPACE).withName("c-agent").get());
        String password = harness.api.client.secrets().inNamespace(NAMESPACE).withName("c-superuser").get().getData().get("password");
        String ca = harness.api.client.secrets().inNamespace(NAMESPACE).withName("c-ca").get().getData().get("ca.crt");
        // The test's own write meets the same faults: it retries like a user would.
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() -> {
            harness.editSpec("c", c -> c.getSpec().getDatacenter().getRacks().get(0).setMembers(5));
            return true;
        });
        harness.awaitReadyWithin("c", 5, Duration.ofSeconds(90));
        await().atMost(Duration.ofSeconds(60)).until(() -> harness.api.client.services().inNamespace(NAMESPACE).list().getItems().stream()
                .noneMatch(s -> s.getMetadata().getAnnotations() != null && (s.getMetadata().getAnnotations().containsKey(Contract.Annotations.CLEANUP_RUN)
                        || s.getMetadata().getAnnotations().containsKey(Contract.Annotations.CLEANUP_STARTED))));
        harness.api.faults.enabled = false;
        // The mock sometimes corrupts a watch frame when it drops the watch: fabric8 then stops that informer and the
        // operator exits, which the harness answers with a restart. Converging across one is part of the claim.
        System.out.printf("ApiFaultsTest: %d faults injected, %d watches dropped, %d operator restarts after a stopped informer%n",
                harness.api.faults.injected.get(), harness.api.faults.closedWatches.get(), harness.restartsAfterInformerError.get());

        assertThat(harness.api.faults.injected.get()).as("faults were injected").isGreaterThan(10);
        assertThat(harness.api.faults.closedWatches.get()).as("watches were dropped").isGreaterThan(5);
        assertThat(harness.controllers.violations).as("never two members joining, never a pod before its address").isEmpty();
        List<Secret> secrets = harness.api.client.secrets().inNamespace(NAMESPACE).list().getItems();
        assertThat(secrets).extracting(s -> s.getMetadata().getName())
                .containsExactlyInAnyOrder("c-agent", "c-superuser", "c-ca", "c-ca-cert", "c-member-tls");
        assertThat(secrets).filteredOn(s -> s.getMetadata().getName().equals("c-ca")).singleElement()
                .satisfies(s -> assertThat(s.getData().get("ca.crt")).as("the CA is never replaced").isEqualTo(ca));
        assertThat(secrets).filteredOn(s -> s.getMetadata().getName().equals("c-member-tls")).singleElement()
                .satisfies(s -> assertThat(s.getData()).as("a certificate for each of the 5 members")
                        .containsKeys("c-dc1-rack1-0.crt", "c-dc1-rack1-3.crt", "c-dc1-rack1-4.key"));
        assertThat(secrets).filteredOn(s -> s.getMetadata().getName().equals("c-agent"))
                .singleElement().satisfies(s -> assertThat(AgentTokenSecret.token(s)).as("the token is never replaced").isEqualTo(token));
        assertThat(secrets).filteredOn(s -> s.getMetadata().getName().equals("c-superuser")).singleElement()
                .satisfies(s -> assertThat(s.getData().get("password")).as("the password is never replaced").isEqualTo(password));
        assertThat(harness.agents.unauthorized).hasValue(0);
        assertThat(harness.replicas("c-dc1-rack1")).isEqualTo(5);
        assertThat(harness.agents.cleanupOrder()).as("every member that owed a cleanup ran one").contains("c-dc1-rack1-0", "c-dc1-rack1-3");
    }
}
