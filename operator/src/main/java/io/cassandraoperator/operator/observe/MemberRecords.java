package io.cassandraoperator.operator.observe;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract.Annotations;
import io.cassandraoperator.api.Contract.Labels;
import io.cassandraoperator.api.Names;
import io.cassandraoperator.api.RackSpec;
import io.cassandraoperator.operator.model.MemberService;
import io.cassandraoperator.operator.model.RackStatefulSet;
import io.fabric8.kubernetes.api.model.Service;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The operator's records on the member Services ({@link Annotations}, {@link Labels#DECOMMISSIONED}), parsed once per
 * reconcile into typed values: what every multi-step operation has done so far. Members come in spec order (rack,
 * then ordinal) and are the ones the rack StatefulSets have; a decommission record counts on any member Service, since
 * it outlives the member's pod.
 */
public record MemberRecords(List<Member> members, List<Decommission> decommissions, List<Replacement> replacements,
                            List<Cleanup> cleanups, List<AbandonedBootstrap> abandonedBootstraps) {

    /** A member the StatefulSets have, with its Service. */
    public record Member(String name, String rack, int ordinal, Service service) {
    }

    /**
     * A member Service carrying the decommission label: intent ({@code done} false) or the label saying it finished;
     * {@code confirmed} when that label carries the operator's record of the agent's DONE for this very Service
     * ({@link Annotations#DECOMMISSION_CONFIRMED}).
     */
    /** @param retries how often the operator retried it after a failed stream ({@link Annotations#DECOMMISSION_RETRIES}) */
    public record Decommission(String rack, int ordinal, String member, boolean done, boolean confirmed, String failure, int retries) {
        public Decommission(String rack, int ordinal, String member, boolean done, boolean confirmed, String failure) {
            this(rack, ordinal, member, done, confirmed, failure, 0);
        }
    }

    /**
     * One attempt to decommission a member, as its Events name it: the member Service's UID (a member that leaves and
     * comes back has a new Service) and when the attempt started ({@link Annotations#DECOMMISSION_STARTED}; empty for
     * an attempt an older operator started).
     */
    public static String decommissionAttempt(Service service) {
        return service.getMetadata().getUid() + "/" + annotations(service).getOrDefault(Annotations.DECOMMISSION_STARTED, "");
    }

    /**
     * A replacement in progress: why, the UIDs of the claims it gives up and of the pod that ran on them, and the repair
     * run it owes (null when none was recorded).
     */
    public record Replacement(String rack, String member, String cause, Set<String> claimUids, String podUid, String repairRun) {
    }

    /**
     * A bootstrap being abandoned ({@link Annotations#BOOTSTRAP_ABANDON_CAUSE}): why, the pod whose agent reported its
     * volume never joined, and the claims to empty. Counted on any member Service, like a decommission: it outlives
     * the member's pod once the replicas are lowered.
     */
    public record AbandonedBootstrap(String rack, int ordinal, String member, String cause, String podUid, Set<String> claimUids) {
    }

    /** A member owing a cleanup run after a scale-out (runId), asked for it (started), or carrying its failure. */
    public record Cleanup(String rack, String member, String runId, boolean started, String failure) {
    }

    public static MemberRecords of(Cluster cluster, ObservedCluster observed) {
        List<Member> members = new ArrayList<>();
        for (RackSpec rack : cluster.getSpec().getDatacenter().getRacks()) {
            for (int ordinal = 0; ordinal < observed.replicas(RackStatefulSet.name(cluster, rack.getName())); ordinal++) {
                String name = Names.member(cluster.getMetadata().getName(), cluster.getSpec().getDatacenter().getName(), rack.getName(), ordinal);
                Service service = observed.services().get(name);
                if (service != null) {
                    members.add(new Member(name, rack.getName(), ordinal, service));
                }
            }
        }
        List<Replacement> replacements = new ArrayList<>();
        List<Cleanup> cleanups = new ArrayList<>();
        for (Member member : members) {
            Map<String, String> records = annotations(member.service());
            String cause = records.get(Annotations.REPLACE_CAUSE);
            if (cause != null) {
                Set<String> claims = Arrays.stream(records.getOrDefault(Annotations.REPLACE_CLAIMS, "").split(","))
                        .filter(uid -> !uid.isEmpty()).collect(Collectors.toUnmodifiableSet());
                replacements.add(new Replacement(member.rack(), member.name(), cause, claims,
                        records.get(Annotations.REPLACE_POD), records.get(Annotations.REPAIR_RUN)));
            }
            if (records.containsKey(Annotations.CLEANUP_RUN) || records.containsKey(Annotations.CLEANUP_FAILURE)) {
                cleanups.add(new Cleanup(member.rack(), member.name(), records.get(Annotations.CLEANUP_RUN),
                        records.containsKey(Annotations.CLEANUP_STARTED), records.get(Annotations.CLEANUP_FAILURE)));
            }
        }
        return new MemberRecords(List.copyOf(members), decommissions(observed), List.copyOf(replacements), List.copyOf(cleanups),
                abandonedBootstraps(observed));
    }

    private static List<AbandonedBootstrap> abandonedBootstraps(ObservedCluster observed) {
        List<AbandonedBootstrap> list = new ArrayList<>();
        for (Service service : observed.services().values()) {
            Map<String, String> records = annotations(service);
            String cause = records.get(Annotations.BOOTSTRAP_ABANDON_CAUSE);
            if (cause == null || !MemberService.isMemberService(service)) {
                continue;
            }
            String member = service.getMetadata().getName();
            Set<String> claims = Arrays.stream(records.getOrDefault(Annotations.BOOTSTRAP_ABANDON_CLAIMS, "").split(","))
                    .filter(uid -> !uid.isEmpty()).collect(Collectors.toUnmodifiableSet());
            list.add(new AbandonedBootstrap(labels(service).get(Labels.RACK), Integer.parseInt(member.substring(member.lastIndexOf('-') + 1)),
                    member, cause, records.getOrDefault(Annotations.BOOTSTRAP_ABANDON_POD, ""), claims));
        }
        return List.copyOf(list);
    }

    private static int retries(String recorded) {
        try {
            return recorded == null ? 0 : Integer.parseInt(recorded);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static List<Decommission> decommissions(ObservedCluster observed) {
        List<Decommission> list = new ArrayList<>();
        for (Service service : observed.services().values()) {
            String value = labels(service).get(Labels.DECOMMISSIONED);
            if (value == null || !MemberService.isMemberService(service)) {
                continue;
            }
            String member = service.getMetadata().getName();
            int ordinal = Integer.parseInt(member.substring(member.lastIndexOf('-') + 1));
            boolean done = "true".equals(value);
            boolean confirmed = done && Objects.equals(service.getMetadata().getUid(), annotations(service).get(Annotations.DECOMMISSION_CONFIRMED));
            list.add(new Decommission(labels(service).get(Labels.RACK), ordinal, member, done, confirmed,
                    annotations(service).get(Annotations.DECOMMISSION_FAILURE), retries(annotations(service).get(Annotations.DECOMMISSION_RETRIES))));
        }
        return List.copyOf(list);
    }

    /**
     * The members whose Service carries a decommission or an abandoned-bootstrap record: they are leaving, or must not be
     * touched otherwise.
     */
    public Set<String> leaving() {
        return Stream.concat(decommissions.stream().map(Decommission::member),
                abandonedBootstraps.stream().map(AbandonedBootstrap::member)).collect(Collectors.toUnmodifiableSet());
    }

    /** The members being replaced. */
    public Set<String> replacing() {
        return replacements.stream().map(Replacement::member).collect(Collectors.toUnmodifiableSet());
    }

    public Optional<Replacement> replacement(String member) {
        return replacements.stream().filter(r -> r.member().equals(member)).findFirst();
    }

    /** Whether an operation already holds this member (a replacement or a decommission record). */
    public boolean recorded(String member) {
        return replacing().contains(member) || leaving().contains(member);
    }

    private static Map<String, String> labels(Service service) {
        return service.getMetadata().getLabels() == null ? Map.of() : service.getMetadata().getLabels();
    }

    private static Map<String, String> annotations(Service service) {
        return service.getMetadata().getAnnotations() == null ? Map.of() : service.getMetadata().getAnnotations();
    }
}
