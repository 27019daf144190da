package io.cassandraoperator.local.apiserver;

import io.cassandraoperator.api.Contract;
import io.cassandraoperator.local.network.LoopbackAddressPool;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What fabric8's {@code LeaderElector} (under JOSDK's leader election) needs from the local API server: JOSDK's check
 * of Lease rights, a Lease created once, renewed by JSON merge patch naming its resourceVersion, a stale one refused with
 * 409, and two candidates of which exactly one leads until it stops renewing.
 */
class LeaderElectionTest {
    private static final String NAMESPACE = "default";
    private static final String LEASE = Contract.Leadership.LEASE_NAME;

    @TempDir
    Path stateDir;
    LocalApiServer server;
    KubernetesClient first;
    KubernetesClient second;

    @BeforeEach
    void start() {
        server = LocalApiServer.start(stateDir, 0, new LoopbackAddressPool(List.of("127.0.2.", "127.0.3."), Set::of));
        first = server.newClient();
        second = server.newClient();
    }

    @AfterEach
    void stop() {
        first.close();
        second.close();
        server.close();
    }

    @Test
    void theAdminsRulesReviewAllowsEveryVerbAsJosdkChecksIt() {
        SelfSubjectRulesReview review = first.resource(new SelfSubjectRulesReviewBuilder().withNewMetadata().endMetadata()
                .withNewSpec().withNamespace(NAMESPACE).endSpec().build()).create();
        assertThat(review.getStatus().getIncomplete()).isFalse();
        assertThat(review.getStatus().getResourceRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("*");
            assertThat(rule.getResources()).containsExactly("*");
            assertThat(rule.getVerbs()).containsExactly("*");
        });
        assertThatThrownBy(() -> first.resource(new SelfSubjectRulesReviewBuilder().withNewMetadata().endMetadata()
                .withNewSpec().endSpec().build()).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
    }

    @Test
    void aLeaseRenewalFromAStaleResourceVersionIsRefusedWith409() {
        Lease created = first.leases().inNamespace(NAMESPACE).resource(new LeaseBuilder().withNewMetadata().withName(LEASE)
                .endMetadata().withNewSpec().withHolderIdentity("a").withLeaseDurationSeconds(15).endSpec().build()).create();
        // As fabric8's LeaseLock.update: a merge patch of the whole Lease carrying the resourceVersion it read.
        Lease renewedByA = new LeaseBuilder(created).editSpec().withHolderIdentity("a").withLeaseTransitions(0).endSpec().build();
        Lease afterA = first.resource(renewedByA).patch(PatchContext.of(PatchType.JSON_MERGE));
        assertThat(afterA.getMetadata().getResourceVersion()).isNotEqualTo(created.getMetadata().getResourceVersion());

        Lease takenByB = new LeaseBuilder(created).editSpec().withHolderIdentity("b").endSpec().build();
        assertThatThrownBy(() -> second.resource(takenByB).patch(PatchContext.of(PatchType.JSON_MERGE)))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        assertThatThrownBy(() -> second.leases().inNamespace(NAMESPACE).resource(new LeaseBuilder().withNewMetadata()
                .withName(LEASE).endMetadata().withNewSpec().withHolderIdentity("b").endSpec().build()).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(first.leases().inNamespace(NAMESPACE).withName(LEASE).get().getSpec().getHolderIdentity()).isEqualTo("a");
    }

    @Test
    void exactlyOneOfTwoCandidatesLeadsAndTheOtherTakesOverWhenTheLeaderStopsRenewing() {
        Set<String> leading = ConcurrentHashMap.newKeySet();
        Set<String> everLed = ConcurrentHashMap.newKeySet();
        CompletableFuture<?> a = candidate(first, "a", leading, everLed);
        await().atMost(Duration.ofSeconds(20)).until(() -> leading.contains("a"));
        CompletableFuture<?> b = candidate(second, "b", leading, everLed);
        try {
            // b keeps trying every retry period for several lease durations while a renews.
            await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(10)).until(() -> leading.equals(Set.of("a")));
            assertThat(holder()).isEqualTo("a");
            String renewedAt = renewTime();
            await().atMost(Duration.ofSeconds(5)).until(() -> !renewTime().equals(renewedAt));

            // a stops renewing without giving the Lease up, as a killed process does.
            a.cancel(true);
            await().atMost(Duration.ofSeconds(20)).until(() -> leading.contains("b"));
            assertThat(holder()).isEqualTo("b");
            assertThat(first.leases().inNamespace(NAMESPACE).withName(LEASE).get().getSpec().getLeaseTransitions()).isEqualTo(1);
            assertThat(everLed).containsExactlyInAnyOrder("a", "b");
        } finally {
            a.cancel(true);
            b.cancel(true);
        }
    }

    /** A fabric8 LeaderElector with short times: lease 3 s, renew deadline 2 s, retry every 0.5 s. */
    private static CompletableFuture<?> candidate(KubernetesClient client, String identity, Set<String> leading, Set<String> everLed) {
        return client.leaderElector().withConfig(new LeaderElectionConfigBuilder().withName(LEASE)
                .withLock(new LeaseLock(NAMESPACE, LEASE, identity))
                .withLeaseDuration(Duration.ofSeconds(3)).withRenewDeadline(Duration.ofSeconds(2))
                .withRetryPeriod(Duration.ofMillis(500)).withReleaseOnCancel(false)
                .withLeaderCallbacks(new LeaderCallbacks(() -> {
                    leading.add(identity);
                    everLed.add(identity);
                }, () -> leading.remove(identity), newLeader -> { }))
                .build()).build().start();
    }

    private String holder() {
        return first.leases().inNamespace(NAMESPACE).withName(LEASE).get().getSpec().getHolderIdentity();
    }

    private String renewTime() {
        return String.valueOf(first.leases().inNamespace(NAMESPACE).withName(LEASE).get().getSpec().getRenewTime());
    }
}
