package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.VolumeClaimRetentionPolicy;
import io.cassandraoperator.operator.TestClusters;
import io.cassandraoperator.operator.model.AgentTokenSecret;
import io.cassandraoperator.operator.model.MemberService;
import io.cassandraoperator.operator.model.RackStatefulSet;
import io.cassandraoperator.operator.model.SuperuserSecret;
import io.cassandraoperator.operator.observe.ObservedCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class DataDeletionTest {
    private static final Instant DELETED = Instant.parse("2026-12-01T12:00:00Z");
    private static final Duration LIMIT = Duration.ofMinutes(10);

    @Test
    void onlyAClusterThatDeletesItsDataCarriesTheFinalizer() {
        Cluster retain = TestClusters.cluster("c", "ns", 3);
        assertThat(DataDeletion.next(retain, empty(), DELETED, LIMIT)).isInstanceOf(DataDeletion.Nothing.class);
        Cluster delete = deleting(TestClusters.cluster("c", "ns", 3));
        assertThat(DataDeletion.next(delete, empty(), DELETED, LIMIT)).isInstanceOf(DataDeletion.AddFinalizer.class);
        delete.getMetadata().setFinalizers(List.of(Contract.Finalizers.DELETE_DATA));
        assertThat(DataDeletion.next(delete, empty(), DELETED, LIMIT)).isInstanceOf(DataDeletion.Nothing.class);
        retain.getMetadata().setFinalizers(List.of(Contract.Finalizers.DELETE_DATA));
        assertThat(DataDeletion.next(retain, empty(), DELETED, LIMIT)).as("switched back to Retain")
                .isInstanceOf(DataDeletion.RemoveFinalizer.class);
    }

    @Test
    void aDeletedClusterWithoutTheFinalizerIsLeftAlone() {
        Cluster retain = markedForDeletion(TestClusters.cluster("c", "ns", 3));
        retain.getMetadata().setFinalizers(List.of("someone.else/finalizer"));
        assertThat(DataDeletion.next(retain, full(retain), DELETED.plusSeconds(1), LIMIT)).isInstanceOf(DataDeletion.Nothing.class);
    }

    @Test
    void statefulSetsThenPodsThenClaimsThenServicesAndSecretsThenTheFinalizer() {
        Cluster cluster = markedForDeletion(deleting(TestClusters.cluster("c", "ns", 2)));
        cluster.getMetadata().setFinalizers(List.of(Contract.Finalizers.DELETE_DATA));
        Instant now = DELETED.plusSeconds(5);
        ObservedCluster all = full(cluster);
        assertThat(DataDeletion.next(cluster, all, now, LIMIT)).isInstanceOfSatisfying(DataDeletion.DeleteStatefulSets.class,
                s -> assertThat(s.statefulSets()).extracting(o -> o.getMetadata().getName()).containsExactly("c-dc1-rack1"));

        ObservedCluster podsLeft = observed(List.of(), pods(), claims(), services(cluster), secrets(cluster));
        assertThat(DataDeletion.next(cluster, podsLeft, now, LIMIT)).isInstanceOfSatisfying(DataDeletion.AwaitPods.class,
                a -> assertThat(a.left()).containsExactly("c-dc1-rack1-0", "c-dc1-rack1-1"));

        ObservedCluster claimsLeft = observed(List.of(), List.of(), claims(), services(cluster), secrets(cluster));
        assertThat(DataDeletion.next(cluster, claimsLeft, now, LIMIT)).isInstanceOfSatisfying(DataDeletion.DeleteClaims.class,
                d -> assertThat(d.claims()).hasSize(2));

        ObservedCluster claimsGoing = observed(List.of(), List.of(), claims().stream().map(DataDeletionTest::marked).toList(),
                services(cluster), secrets(cluster));
        assertThat(DataDeletion.next(cluster, claimsGoing, now, LIMIT)).isInstanceOf(DataDeletion.AwaitClaims.class);

        ObservedCluster rest = observed(List.of(), List.of(), List.of(), services(cluster), secrets(cluster));
        assertThat(DataDeletion.next(cluster, rest, now, LIMIT)).isInstanceOfSatisfying(DataDeletion.DeleteServicesAndSecrets.class,
                d -> assertThat(d.objects()).extracting(o -> o.getMetadata().getName())
                        .containsExactlyInAnyOrder("c-dc1-rack1-0", "c-dc1-rack1-1", "c-superuser", "c-agent"));

        assertThat(DataDeletion.next(cluster, empty(), now, LIMIT)).isInstanceOf(DataDeletion.Finish.class);
    }

    @Test
    void pastTheLimitTheFinalizerGoesAndNamesWhatIsLeft() {
        Cluster cluster = markedForDeletion(deleting(TestClusters.cluster("c", "ns", 2)));
        cluster.getMetadata().setFinalizers(List.of(Contract.Finalizers.DELETE_DATA));
        ObservedCluster podsLeft = observed(List.of(), pods(), claims(), services(cluster), secrets(cluster));
        assertThat(DataDeletion.next(cluster, podsLeft, DELETED.plus(LIMIT), LIMIT)).as("at the limit: not yet")
                .isInstanceOf(DataDeletion.AwaitPods.class);
        assertThat(DataDeletion.next(cluster, podsLeft, DELETED.plus(LIMIT).plusSeconds(1), LIMIT))
                .isInstanceOfSatisfying(DataDeletion.Abandon.class, a -> assertThat(a.left()).containsExactlyInAnyOrder(
                        "Pod c-dc1-rack1-0", "Pod c-dc1-rack1-1", "PersistentVolumeClaim data-c-dc1-rack1-0",
                        "PersistentVolumeClaim data-c-dc1-rack1-1", "Service c-dc1-rack1-0", "Service c-dc1-rack1-1",
                        "Secret c-superuser", "Secret c-agent"));
    }

    private static Cluster deleting(Cluster cluster) {
        VolumeClaimRetentionPolicy policy = new VolumeClaimRetentionPolicy();
        policy.setWhenDeleted(VolumeClaimRetentionPolicy.Policy.DELETE);
        cluster.getSpec().setPersistentVolumeClaimRetentionPolicy(policy);
        return cluster;
    }

    private static Cluster markedForDeletion(Cluster cluster) {
        cluster.getMetadata().setDeletionTimestamp(DELETED.toString());
        return cluster;
    }

    private static <T extends HasMetadata> T marked(T object) {
        object.getMetadata().setDeletionTimestamp(DELETED.toString());
        return object;
    }

    private static ObservedCluster empty() {
        return observed(List.of(), List.of(), List.of(), List.of(), List.of());
    }

    private static ObservedCluster full(Cluster cluster) {
        StatefulSet set = new StatefulSetBuilder(RackStatefulSet.build(cluster, cluster.getSpec().getDatacenter().getRacks().get(0), 2))
                .editMetadata().withUid("sts").endMetadata().build();
        return observed(List.of(set), pods(), claims(), services(cluster), secrets(cluster));
    }

    private static List<Pod> pods() {
        return List.of(0, 1).stream().map(i -> new PodBuilder().withNewMetadata().withName("c-dc1-rack1-" + i).endMetadata().build()).toList();
    }

    private static List<PersistentVolumeClaim> claims() {
        return List.of(0, 1).stream().map(i -> new PersistentVolumeClaimBuilder().withNewMetadata().withName("data-c-dc1-rack1-" + i)
                .endMetadata().build()).toList();
    }

    private static List<Service> services(Cluster cluster) {
        return List.of(0, 1).stream().map(i -> MemberService.build(cluster, "rack1", "c-dc1-rack1-" + i, true)).toList();
    }

    private static List<Secret> secrets(Cluster cluster) {
        return List.of(SuperuserSecret.build(cluster, "p"), AgentTokenSecret.build(cluster, "t"));
    }

    private static ObservedCluster observed(List<StatefulSet> sets, List<Pod> pods, List<PersistentVolumeClaim> claims,
                                            List<Service> services, List<Secret> secrets) {
        return new ObservedCluster(byName(sets), byName(services), byName(pods), byName(claims), Map.of(), byName(secrets), Map.of());
    }

    private static <T extends HasMetadata> Map<String, T> byName(List<T> objects) {
        Map<String, T> map = new TreeMap<>();
        objects.forEach(o -> map.put(o.getMetadata().getName(), o));
        return map;
    }
}
