package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Names;
import io.cassandraoperator.operator.model.RackStatefulSet;
import io.cassandraoperator.operator.observe.MemberRecords.AbandonedBootstrap;
import io.cassandraoperator.operator.observe.MemberRecords.Cleanup;
import io.cassandraoperator.operator.observe.MemberRecords.Decommission;
import io.cassandraoperator.operator.observe.MemberRecords.Replacement;
import io.cassandraoperator.operator.observe.MemberRecords;
import io.cassandraoperator.operator.observe.ObservedCluster;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Decides the next membership change. Cassandra lets one node join or leave at a time and needs every replica up to
 * stream, so: a decommission in progress blocks every other change; a member is added or decommissioned only when
 * every existing member is ready; growth goes to the rack furthest below its count (ties in spec order); shrinking
 * takes the highest ordinal of the rack furthest above its count. Growth comes before shrinking: members moved
 * between racks (one rack down, another up) join their new rack before the old ones leave, so the datacenter never
 * has fewer replicas than either count asks for. Cleanups owed after a scale-out run one member at a
 * time once no member is to be added or removed (Cassandra refuses a cleanup while ranges move); a started one is a
 * barrier like a decommission.
 */
public final class ScalePlan {
    /** A rack of the spec, in spec order: the members it should have and the replicas its StatefulSet has. */
    public record Rack(String name, int desired, int replicas) {
    }

    /**
     * A member that must be replaced (see {@link MemberLoss}) and has no replacement record yet; {@code refusal} says why
     * it must not be ({@link ReplacementRefusal}), null when nothing stops it.
     */
    public record Loss(String rack, String member, String cause, String refusal) {
        public Loss(String rack, String member, String cause) {
            this(rack, member, cause, null);
        }
    }

    /**
     * How often a decommission that failed on a stream is retried by itself. Such a failure (a stream source or target
     * restarted or was killed while the member streamed its ranges away, #23) leaves the member NORMAL with all its
     * data, so trying again once every member is ready loses nothing; a failure that stays is the user's after that.
     */
    public static final int DECOMMISSION_RETRIES = 3;
    private static final Pattern STREAM_FAILURE = Pattern.compile(
            "(?i)stream(ing)? (session )?failed|failed to connect|for streaming data|Stream failed");

    private ScalePlan() {
    }

    /** Whether Cassandra's decommission failure is one of a stream: a peer that went away, not a refusal. */
    static boolean failedOnAStream(String failure) {
        return failure != null && STREAM_FAILURE.matcher(failure).find();
    }

    /** The next step for a Cluster as observed, with its member records and the members found lost. */
    public static ScaleStep next(Cluster cluster, ObservedCluster observed, MemberRecords records, List<Loss> losses) {
        List<Rack> racks = cluster.getSpec().getDatacenter().getRacks().stream()
                .map(r -> new Rack(r.getName(), r.getMembers(), observed.replicas(RackStatefulSet.name(cluster, r.getName()))))
                .toList();
        Set<String> ready = observed.pods().keySet().stream().filter(observed::ready).collect(Collectors.toSet());
        return next(racks, ready, records.decommissions(), records.abandonedBootstraps(), records.replacements(), losses, records.cleanups(),
                (rack, ordinal) -> Names.member(cluster.getMetadata().getName(), cluster.getSpec().getDatacenter().getName(), rack, ordinal));
    }

    /**
     * @param racks      spec racks in spec order
     * @param ready      names of the members whose pod is ready
     * @param decommissions members whose Service carries the decommission label
     * @param cleanups   members owing a cleanup, in spec order (rack, then ordinal)
     * @param memberName (rack, ordinal) → member name
     */
    public static ScaleStep next(List<Rack> racks, Set<String> ready, List<Decommission> decommissions, List<Cleanup> cleanups,
                          BiFunction<String, Integer, String> memberName) {
        return next(racks, ready, decommissions, List.of(), List.of(), cleanups, memberName);
    }

    /**
     * As above, with replacements: one at a time, a recorded one continues before anything else but a decommission,
     * and a lost member is replaced only when every other member is ready (Cassandra streams the replaced ranges from
     * the other replicas and refuses while one it needs is down).
     *
     * @param replacements members whose Service records a replacement in progress
     * @param losses       members to replace that have no record yet, in spec order
     */
    public static ScaleStep next(List<Rack> racks, Set<String> ready, List<Decommission> decommissions, List<Replacement> replacements,
                          List<Loss> losses, List<Cleanup> cleanups, BiFunction<String, Integer, String> memberName) {
        return next(racks, ready, decommissions, List.of(), replacements, losses, cleanups, memberName);
    }

    /**
     * As above, with abandoned bootstraps (#23): a recorded one continues before anything else but a decommission. A
     * member that has not finished joining is abandoned instead of waited for when its bootstrap cannot finish (a lost
     * member must be replaced, and a replacement and a bootstrap each stream from the other) or the spec no longer
     * wants it (a scale-down removing it): act abandons it only once its agent says its volume never reached NORMAL,
     * and waits as before otherwise. Only a rack's highest member can be stopped by lowering the replicas.
     *
     * @param abandoned members whose Service records an abandoned bootstrap
     */
    public static ScaleStep next(List<Rack> racks, Set<String> ready, List<Decommission> decommissions, List<AbandonedBootstrap> abandoned,
                          List<Replacement> replacements, List<Loss> losses, List<Cleanup> cleanups,
                          BiFunction<String, Integer, String> memberName) {
        Optional<Decommission> recorded = decommissions.stream().max(Comparator.comparingInt(Decommission::ordinal));
        if (recorded.isPresent()) {
            boolean everyMemberReady = racks.stream().allMatch(r -> IntStream.range(0, r.replicas())
                    .allMatch(o -> ready.contains(memberName.apply(r.name(), o))));
            return continueDecommission(recorded.get(), racks, everyMemberReady);
        }
        if (!abandoned.isEmpty()) {
            AbandonedBootstrap abandon = abandoned.get(0);
            return new ScaleStep.ContinueAbandonedBootstrap(abandon.rack(), abandon.ordinal(), abandon.member(), abandon.cause());
        }
        if (!replacements.isEmpty()) {
            Replacement replacement = replacements.get(0);
            return new ScaleStep.ContinueReplacement(replacement.rack(), replacement.member(), replacement.cause());
        }
        if (!losses.isEmpty()) {
            Loss loss = losses.get(0);
            if (loss.refusal() != null) {
                return new ScaleStep.ReplacementRefused(loss.rack(), loss.member(), loss.cause(), loss.refusal());
            }
            Optional<String> otherNotReady = racks.stream()
                    .flatMap(rack -> IntStream.range(0, rack.replicas()).mapToObj(o -> memberName.apply(rack.name(), o)))
                    .filter(member -> !member.equals(loss.member()) && !ready.contains(member))
                    .findFirst();
            if (otherNotReady.isPresent()) {
                Optional<ScaleStep> abandon = highestOfItsRack(otherNotReady.get(), racks, memberName).map(rack -> new ScaleStep.AbandonBootstrap(
                        rack.name(), rack.replicas() - 1, otherNotReady.get(), "member " + loss.member() + " must be replaced (" + loss.cause()
                        + "), a replacement streams from every other replica and a bootstrap from the replicas it takes ranges from, "
                        + "so neither can finish while the other waits"));
                if (abandon.isPresent()) {
                    return abandon.get();
                }
                return new ScaleStep.Wait("member " + loss.member() + " must be replaced (" + loss.cause() + ") but member "
                        + otherNotReady.get() + " is not ready; a replacement streams from every other replica");
            }
            return new ScaleStep.StartReplacement(loss.rack(), loss.member(), loss.cause());
        }
        Optional<Cleanup> started = cleanups.stream().filter(c -> c.started() && c.failure() == null).findFirst();
        if (started.isPresent()) {
            return new ScaleStep.ContinueCleanup(started.get().rack(), started.get().member(), started.get().runId());
        }
        Optional<String> notReady = racks.stream()
                .flatMap(rack -> IntStream.range(0, rack.replicas()).mapToObj(o -> memberName.apply(rack.name(), o)))
                .filter(member -> !ready.contains(member))
                .findFirst();
        Optional<Rack> grow = racks.stream().filter(r -> r.desired() > r.replicas())
                .max(Comparator.comparingInt((Rack r) -> r.desired() - r.replicas()).thenComparing(Comparator.comparingInt(racks::indexOf).reversed()));
        if (grow.isPresent()) {
            if (notReady.isPresent()) {
                return new ScaleStep.Wait("member " + notReady.get() + " is joining or not ready; members join one at a time");
            }
            Rack rack = grow.get();
            return new ScaleStep.AddMember(rack.name(), rack.replicas(), memberName.apply(rack.name(), rack.replicas()));
        }
        Optional<Rack> shrink = racks.stream().filter(r -> r.replicas() > r.desired())
                .max(Comparator.comparingInt((Rack r) -> r.replicas() - r.desired()).thenComparing(Comparator.comparingInt(racks::indexOf).reversed()));
        if (shrink.isPresent()) {
            Rack rack = shrink.get();
            String leaving = memberName.apply(rack.name(), rack.replicas() - 1);
            if (!ready.contains(leaving)) {
                return new ScaleStep.AbandonBootstrap(rack.name(), rack.replicas() - 1, leaving, "the spec no longer wants it (rack "
                        + rack.name() + " wants " + rack.desired() + " members) and a member still joining is not decommissioned");
            }
            if (notReady.isPresent()) {
                return new ScaleStep.Wait("member " + notReady.get() + " is not ready; a decommission starts only when every member is ready");
            }
            return new ScaleStep.StartDecommission(rack.name(), rack.replicas() - 1, leaving);
        }
        if (notReady.isPresent()) {
            return new ScaleStep.Wait("waiting for member " + notReady.get() + " to be ready");
        }
        Optional<Cleanup> owed = cleanups.stream().filter(c -> c.runId() != null && c.failure() == null).findFirst();
        if (owed.isPresent()) {
            return new ScaleStep.StartCleanup(owed.get().rack(), owed.get().member(), owed.get().runId());
        }
        return cleanups.stream().filter(c -> c.failure() != null).findFirst()
                .<ScaleStep>map(c -> new ScaleStep.CleanupFailed(c.member(), c.failure()))
                .orElseGet(ScaleStep.Steady::new);
    }

    /** The rack whose highest member this is, if it is one. */
    private static Optional<Rack> highestOfItsRack(String member, List<Rack> racks, BiFunction<String, Integer, String> memberName) {
        return racks.stream().filter(r -> r.replicas() > 0 && memberName.apply(r.name(), r.replicas() - 1).equals(member)).findFirst();
    }

    private static ScaleStep continueDecommission(Decommission decommission, List<Rack> racks, boolean everyMemberReady) {
        int desired = racks.stream().filter(r -> r.name().equals(decommission.rack())).mapToInt(Rack::desired).findFirst().orElse(0);
        int replicas = racks.stream().filter(r -> r.name().equals(decommission.rack())).mapToInt(Rack::replicas).findFirst().orElse(0);
        if (decommission.ordinal() < replicas - 1) {
            // Lowering replicas would stop higher members too: only the highest ordinal can leave.
            return new ScaleStep.Wait("member " + decommission.member() + " carries the decommission label but is not the highest member of rack "
                    + decommission.rack() + "; only the highest ordinal can leave. Remove the label");
        }
        if (decommission.done() && !decommission.confirmed()) {
            // The label alone may be copied, set by hand or restored from a backup: only the agent's word removes data.
            return new ScaleStep.VerifyDecommission(decommission.rack(), decommission.ordinal(), decommission.member());
        }
        if (decommission.done()) {
            return new ScaleStep.RemoveMember(decommission.rack(), decommission.ordinal(), decommission.member());
        }
        if (decommission.ordinal() >= replicas) {
            // Its pod is gone although Cassandra never confirmed the decommission: keep its claim and Service.
            return new ScaleStep.Wait("member " + decommission.member() + " was stopped before its decommission finished; its data is kept. "
                    + "Raise rack " + decommission.rack() + " back to " + (decommission.ordinal() + 1) + " replicas");
        }
        if (decommission.failure() != null) {
            if (desired > decommission.ordinal()) {
                return new ScaleStep.CancelDecommission(decommission.rack(), decommission.member());
            }
            if (everyMemberReady && decommission.retries() < DECOMMISSION_RETRIES && failedOnAStream(decommission.failure())) {
                return new ScaleStep.RetryDecommission(decommission.rack(), decommission.member(), decommission.retries() + 1,
                        decommission.failure());
            }
            return new ScaleStep.DecommissionFailed(decommission.rack(), decommission.member(), decommission.failure());
        }
        return new ScaleStep.ContinueDecommission(decommission.rack(), decommission.ordinal(), decommission.member());
    }
}
