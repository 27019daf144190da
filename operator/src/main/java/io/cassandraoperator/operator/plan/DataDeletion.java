package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.operator.model.AgentTokenSecret;
import io.cassandraoperator.operator.model.ClusterCaSecrets;
import io.cassandraoperator.operator.model.MemberService;
import io.cassandraoperator.operator.model.MemberTlsSecret;
import io.cassandraoperator.operator.model.RackStatefulSet;
import io.cassandraoperator.operator.model.SuperuserSecret;
import io.cassandraoperator.operator.observe.ObservedCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Whether a Cluster carries the {@link Contract.Finalizers#DELETE_DATA} finalizer, and what a Cluster being deleted
 * with it needs next: its StatefulSets deleted, its pods gone, then its claims, then its member Services and Secrets,
 * then the finalizer removed. Only {@code whenDeleted: Delete} carries it; a Cluster that keeps its data (the default)
 * has none, so its deletion never waits for the operator. The cleanup is bounded from the Cluster's
 * deletionTimestamp (a record on the API, so an operator restarted meanwhile keeps the same deadline): past it the
 * finalizer goes anyway and what was left is named.
 */
public final class DataDeletion {
    private DataDeletion() {
    }

    /** The next thing to do about the finalizer. */
    public sealed interface Step {
    }

    /** Nothing: no finalizer wanted and none there, or the cleanup is not this operator's (no finalizer). */
    public record Nothing() implements Step {
    }

    /** The spec asks to delete data with the Cluster: the finalizer goes on before anything else is written. */
    public record AddFinalizer() implements Step {
    }

    /** The finalizer is there but not wanted (whenDeleted is no longer Delete): it goes, nothing is deleted. */
    public record RemoveFinalizer(String why) implements Step {
    }

    /** The StatefulSets go first (their pods with them); claims wait until no pod can use them. */
    public record DeleteStatefulSets(List<StatefulSet> statefulSets) implements Step {
    }

    /** Pods (or StatefulSets being deleted) are still there. */
    public record AwaitPods(List<String> left) implements Step {
    }

    /** No pod is left in the caches: the claims go (after a live read confirms no pod). */
    public record DeleteClaims(List<PersistentVolumeClaim> claims) implements Step {
    }

    /** Claims are being deleted (the pvc-protection finalizer, the volume's release). */
    public record AwaitClaims(List<String> left) implements Step {
    }

    /** The claims are gone: the member Services and the Secrets go. */
    public record DeleteServicesAndSecrets(List<HasMetadata> objects) implements Step {
    }

    /** Everything is gone: the finalizer goes. */
    public record Finish() implements Step {
    }

    /** The deadline passed: the finalizer goes anyway, leaving these objects. */
    public record Abandon(List<String> left, Duration limit) implements Step {
    }

    public static boolean hasFinalizer(Cluster cluster) {
        return cluster.getMetadata().getFinalizers() != null && cluster.getMetadata().getFinalizers().contains(Contract.Finalizers.DELETE_DATA);
    }

    public static Step next(Cluster cluster, ObservedCluster observed, Instant now, Duration limit) {
        boolean wanted = RackStatefulSet.deletesDataWithCluster(cluster.getSpec());
        boolean present = hasFinalizer(cluster);
        if (!cluster.isMarkedForDeletion()) {
            return wanted && !present ? new AddFinalizer()
                    : !wanted && present ? new RemoveFinalizer("whenDeleted is no longer Delete: deleting the Cluster keeps its data")
                    : new Nothing();
        }
        if (!present) {
            return new Nothing();
        }
        if (!wanted) {
            return new RemoveFinalizer("whenDeleted is no longer Delete: the claims, member Services and Secrets are kept");
        }
        List<HasMetadata> rest = rest(cluster, observed);
        if (now.isAfter(Instant.parse(cluster.getMetadata().getDeletionTimestamp()).plus(limit))) {
            List<String> left = new ArrayList<>();
            Stream.of(observed.statefulSets().values(), observed.pods().values(), observed.claims().values(), rest)
                    .flatMap(objects -> objects.stream()).forEach(o -> left.add(o.getKind() + " " + o.getMetadata().getName()));
            return new Abandon(left, limit);
        }
        List<StatefulSet> statefulSets = observed.statefulSets().values().stream().filter(s -> !s.isMarkedForDeletion()).toList();
        if (!statefulSets.isEmpty()) {
            return new DeleteStatefulSets(statefulSets);
        }
        if (!observed.pods().isEmpty() || !observed.statefulSets().isEmpty()) {
            return new AwaitPods(Stream.concat(observed.statefulSets().keySet().stream(), observed.pods().keySet().stream()).toList());
        }
        List<PersistentVolumeClaim> claims = observed.claims().values().stream().filter(c -> !c.isMarkedForDeletion()).toList();
        if (!claims.isEmpty()) {
            return new DeleteClaims(claims);
        }
        if (!observed.claims().isEmpty()) {
            return new AwaitClaims(List.copyOf(observed.claims().keySet()));
        }
        return rest.isEmpty() ? new Finish() : new DeleteServicesAndSecrets(rest);
    }

    /** The member Services and the Secrets (login, agent token, CA, member certificates): what the retained case keeps besides the claims. */
    private static List<HasMetadata> rest(Cluster cluster, ObservedCluster observed) {
        List<HasMetadata> rest = new ArrayList<>(observed.services().values().stream().filter(MemberService::isMemberService).toList());
        Stream.of(SuperuserSecret.name(cluster), AgentTokenSecret.name(cluster), ClusterCaSecrets.caName(cluster),
                        ClusterCaSecrets.caCertName(cluster), MemberTlsSecret.name(cluster)).map(observed.secrets()::get)
                .filter(s -> s != null).forEach(rest::add);
        return rest;
    }
}
