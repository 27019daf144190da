package io.cassandraoperator.operator;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.ClusterStatus;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.Contract.Labels;
import io.cassandraoperator.api.Names;
import io.cassandraoperator.api.RackSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Reconciles one Cluster: refuses what would lose data, creates what is missing, makes at most one membership change
 * per round (see {@link ScalePlan}) and hands decommissions to {@link DecommissionStep}. Reads come from informer
 * caches; every write goes through {@link ChildWriter}.
 */
public class ClusterReconciler implements Reconciler<Cluster> {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterReconciler.class);
    /** After a conflict (our cache was behind the API), look again soon rather than through the error backoff. */
    private static final Duration AFTER_CONFLICT = Duration.ofMillis(500);

    private final OperatorSettings settings;
    private final AgentClient agent = new AgentClient();

    public ClusterReconciler(OperatorSettings settings) {
        this.settings = settings;
    }

    @Override
    public List<EventSource<?, Cluster>> prepareEventSources(EventSourceContext<Cluster> context) {
        return List.of(informer(context, StatefulSet.class), informer(context, Service.class), informer(context, Pod.class),
                informer(context, PersistentVolumeClaim.class), informer(context, ConfigMap.class),
                informer(context, Secret.class), informer(context, PodDisruptionBudget.class),
                clusterScopedInformer(context, Node.class), clusterScopedInformer(context, PersistentVolume.class));
    }

    /**
     * Nodes and volumes, read to recognise a lost member: any change may concern any Cluster (a Node's deletion is
     * noticed through the volumes pinned to it), so each maps to every Cluster the operator knows.
     */
    private static <R extends HasMetadata> InformerEventSource<R, Cluster> clusterScopedInformer(EventSourceContext<Cluster> context, Class<R> type) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, Cluster.class)
                .withWatchAllNamespaces()
                .withSecondaryToPrimaryMapper(object -> context.getPrimaryCache().list().map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .build(), context);
    }

    /** Only the objects of managed Clusters are cached, each mapped to its Cluster by the cluster label. */
    private static <R extends HasMetadata> InformerEventSource<R, Cluster> informer(EventSourceContext<Cluster> context, Class<R> type) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, Cluster.class)
                .withLabelSelector(ClusterLabels.INFORMER_SELECTOR)
                .withSecondaryToPrimaryMapper(object -> Set.of(new ResourceID(
                        object.getMetadata().getLabels().get(Labels.CLUSTER), object.getMetadata().getNamespace())))
                .build(), context);
    }

    @Override
    public UpdateControl<Cluster> reconcile(Cluster cluster, Context<Cluster> context) {
        ClusterEvents events = new ClusterEvents(context.getClient());
        ObservedCluster observed = ObservedCluster.from(context);
        Optional<Refusal> refusal = ChangeRefusal.check(cluster, observed.statefulSets().values());
        if (refusal.isPresent()) {
            Refusal refused = refusal.get();
            boolean reported = DesiredStatus.condition(cluster.getStatus(), DesiredStatus.DEGRADED)
                    .map(c -> refused.reason().equals(c.getReason()) && refused.message().equals(c.getMessage())).orElse(false);
            if (!reported) {
                LOG.warn("Cluster {}: refusing the spec, changing nothing: {}", qualifiedName(cluster), refused.message());
                events.warning(cluster, refused.reason(), refused.message());
            }
            return withStatus(cluster, DesiredStatus.compute(cluster, observed, refusal, new ScaleStep.Steady(), null, Instant.now()), null);
        }
        try {
            Round round = new Round(cluster, observed, context.getClient(), new ChildWriter(context.getClient(), cluster), events);
            round.run();
            ClusterStatus status = DesiredStatus.compute(cluster, observed, refusal, round.step, round.waitingFor, Instant.now());
            return withStatus(cluster, status, !round.poll ? null
                    : round.pollSoon ? settings.decommissionPollInterval() : settings.operationPollInterval());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                LOG.info("Cluster {}: an object changed since the cache saw it ({}); looking again", qualifiedName(cluster), e.getMessage());
                return UpdateControl.<Cluster>noUpdate().rescheduleAfter(AFTER_CONFLICT);
            }
            throw e;
        }
    }

    @Override
    public ErrorStatusUpdateControl<Cluster> updateErrorStatus(Cluster cluster, Context<Cluster> context, Exception error) {
        LOG.warn("Cluster {}: reconcile failed, will retry: {}", qualifiedName(cluster), error.toString());
        ClusterStatus status = DesiredStatus.failed(cluster, error, Instant.now());
        if (DesiredStatus.same(cluster.getStatus(), status)) {
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        cluster.setStatus(status);
        return ErrorStatusUpdateControl.patchStatus(cluster);
    }

    /** Writes the status only when it changed. */
    private static UpdateControl<Cluster> withStatus(Cluster cluster, ClusterStatus next, Duration pollAfter) {
        ClusterStatus status = DesiredStatus.carryTransitionTimes(cluster.getStatus(), next);
        UpdateControl<Cluster> control;
        if (DesiredStatus.same(cluster.getStatus(), status)) {
            control = UpdateControl.noUpdate();
        } else {
            cluster.setStatus(status);
            control = UpdateControl.patchStatus(cluster);
        }
        return pollAfter == null ? control : control.rescheduleAfter(pollAfter);
    }

    private static String qualifiedName(HasMetadata object) {
        return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
    }

    /** One reconcile of one Cluster: what it read, what it decided, what it is waiting for. */
    private final class Round {
        private final Cluster cluster;
        private final ObservedCluster observed;
        private final KubernetesClient client;
        private final ChildWriter writer;
        private final ClusterEvents events;
        private ScaleStep step = new ScaleStep.Steady();
        private String waitingFor;
        private boolean poll;
        private boolean pollSoon;
        /** Seeds chosen this round, in order; the ConfigMap lists their addresses in this order. */
        private List<String> seeds = List.of();
        /** A template change held back by {@link RolloutGate}, reported when nothing more urgent is. */
        private String rolloutWait;

        Round(Cluster cluster, ObservedCluster observed, KubernetesClient client, ChildWriter writer, ClusterEvents events) {
            this.cluster = cluster;
            this.observed = observed;
            this.client = client;
            this.writer = writer;
            this.events = events;
        }

        void run() {
            if (!observed.secrets().containsKey(AgentTokenSecret.name(cluster))) {
                LOG.info("Cluster {}: creating the agent token Secret {}", qualifiedName(cluster), AgentTokenSecret.name(cluster));
                writer.create(AgentTokenSecret.build(cluster, AgentTokenSecret.newToken()));
            }
            if (!observed.secrets().containsKey(SuperuserSecret.name(cluster))) {
                // Before any StatefulSet: a member pod's env refers to it. Never updated, so a user's own password stays.
                LOG.info("Cluster {}: creating the superuser Secret {} with a generated password", qualifiedName(cluster),
                        SuperuserSecret.name(cluster));
                writer.create(SuperuserSecret.build(cluster, SuperuserSecret.newPassword()));
            }
            writer.ensure(ClientService.build(cluster), observed.services().get(ClientService.name(cluster)), ChildWriter::mergeService);
            writer.ensure(ClusterDisruptionBudget.build(cluster), observed.disruptionBudgets().get(ClusterDisruptionBudget.name(cluster)),
                    (actual, desired) -> new PodDisruptionBudgetBuilder(actual).withMetadata(ChildWriter.mergeMetadata(actual, desired))
                            .withSpec(desired.getSpec()).build());
            ensureStatefulSets();
            deleteEmptyRemovedRacks();

            step = ScalePlan.next(rackStates(), readyMembers(), decommissions(), replacements(), losses(), cleanups(), this::memberName);
            if (step instanceof ScaleStep.Wait wait) {
                waitingFor = firstNotReadyMember().filter(m -> wait.progress().contains(m))
                        .map(m -> wait.progress() + " (" + observed.podState(m) + ")").orElse(null);
            }
            Map<String, Service> services = ensureMemberServices();
            Map<String, String> membersConfig = ensureMembersConfigMap(services);
            execute(services, membersConfig);
            if (waitingFor == null && step.progress() == null) {
                waitingFor = rolloutWait;
            }
        }

        private String memberName(String rack, int ordinal) {
            return Names.member(cluster.getMetadata().getName(), cluster.getSpec().getDatacenter().getName(), rack, ordinal);
        }

        private List<ScalePlan.Rack> rackStates() {
            return cluster.getSpec().getDatacenter().getRacks().stream()
                    .map(r -> new ScalePlan.Rack(r.getName(), r.getMembers(), observed.replicas(RackStatefulSet.name(cluster, r.getName()))))
                    .toList();
        }

        private Set<String> readyMembers() {
            return observed.pods().keySet().stream().filter(observed::ready).collect(Collectors.toSet());
        }

        private Optional<String> firstNotReadyMember() {
            return cluster.getSpec().getDatacenter().getRacks().stream()
                    .flatMap(r -> IntStream.range(0, observed.replicas(RackStatefulSet.name(cluster, r.getName())))
                            .mapToObj(o -> memberName(r.getName(), o)))
                    .filter(m -> !observed.ready(m))
                    .findFirst();
        }

        /** The decommission records on member Services. */
        private List<ScalePlan.Decommission> decommissions() {
            List<ScalePlan.Decommission> list = new ArrayList<>();
            for (Service service : observed.services().values()) {
                String value = service.getMetadata().getLabels().get(Labels.DECOMMISSIONED);
                if (value == null || !MemberService.isMemberService(service)) {
                    continue;
                }
                String member = service.getMetadata().getName();
                int ordinal = Integer.parseInt(member.substring(member.lastIndexOf('-') + 1));
                String failure = service.getMetadata().getAnnotations() == null ? null
                        : service.getMetadata().getAnnotations().get(Contract.Annotations.DECOMMISSION_FAILURE);
                list.add(new ScalePlan.Decommission(service.getMetadata().getLabels().get(Labels.RACK), ordinal, member, "true".equals(value), failure));
            }
            return list;
        }

        /** The replacement records on member Services, in spec order. */
        private List<ScalePlan.Replacement> replacements() {
            List<ScalePlan.Replacement> list = new ArrayList<>();
            forEachMember((rack, service) -> {
                String cause = annotations(service).get(ReplaceStep.CAUSE);
                if (cause != null) {
                    list.add(new ScalePlan.Replacement(rack, service.getMetadata().getName(), cause));
                }
            });
            return list;
        }

        /**
         * Members to replace that have no record yet, in spec order. No volume is judged while the Node cache is empty
         * (not synced, or Nodes not readable): every pinned volume would look orphaned.
         */
        private List<ScalePlan.Loss> losses() {
            List<ScalePlan.Loss> list = new ArrayList<>();
            forEachMember((rack, service) -> {
                if (annotations(service).containsKey(ReplaceStep.CAUSE) || service.getMetadata().getLabels().containsKey(Labels.DECOMMISSIONED)) {
                    return;
                }
                String member = service.getMetadata().getName();
                List<PersistentVolumeClaim> claims = observed.nodes().isEmpty() ? List.of() : ReplaceStep.claimsOf(observed, member);
                MemberLoss.cause(service, observed.pods().get(member), claims, observed.volumes(), observed.nodes())
                        .ifPresent(cause -> list.add(new ScalePlan.Loss(rack, member, cause)));
            });
            return list;
        }

        /** Every member Service of a member the StatefulSets have, in spec order (rack, then ordinal). */
        private void forEachMember(java.util.function.BiConsumer<String, Service> action) {
            for (RackSpec rack : cluster.getSpec().getDatacenter().getRacks()) {
                for (int ordinal = 0; ordinal < observed.replicas(RackStatefulSet.name(cluster, rack.getName())); ordinal++) {
                    Service service = observed.services().get(memberName(rack.getName(), ordinal));
                    if (service != null) {
                        action.accept(rack.getName(), service);
                    }
                }
            }
        }

        private static Map<String, String> annotations(Service service) {
            return service.getMetadata().getAnnotations() == null ? Map.of() : service.getMetadata().getAnnotations();
        }

        /** The cleanup records on member Services, in spec order (rack, then ordinal). */
        private List<ScalePlan.Cleanup> cleanups() {
            List<ScalePlan.Cleanup> list = new ArrayList<>();
            for (RackSpec rack : cluster.getSpec().getDatacenter().getRacks()) {
                for (int ordinal = 0; ordinal < observed.replicas(RackStatefulSet.name(cluster, rack.getName())); ordinal++) {
                    Service service = observed.services().get(memberName(rack.getName(), ordinal));
                    Map<String, String> annotations = service == null || service.getMetadata().getAnnotations() == null
                            ? Map.of() : service.getMetadata().getAnnotations();
                    if (annotations.containsKey(CleanupStep.OWED) || annotations.containsKey(CleanupStep.FAILURE)) {
                        list.add(new ScalePlan.Cleanup(rack.getName(), service.getMetadata().getName(), annotations.get(CleanupStep.OWED),
                                annotations.containsKey(CleanupStep.STARTED), annotations.get(CleanupStep.FAILURE)));
                    }
                }
            }
            return list;
        }

        private void ensureStatefulSets() {
            boolean rolled = false;
            for (RackSpec rack : cluster.getSpec().getDatacenter().getRacks()) {
                StatefulSet actual = observed.statefulSets().get(RackStatefulSet.name(cluster, rack.getName()));
                // Created empty; replicas are left out of the update: only the membership steps change them, one at a time.
                StatefulSet desired = RackStatefulSet.build(cluster, rack, 0);
                if (actual != null && !DesiredHash.of(desired).equals(DesiredHash.recorded(actual))) {
                    Optional<String> blocker = rolled ? Optional.of("rack " + rack.getName() + " waits for the rack rolled just before it")
                            : RolloutGate.blocker(observed.statefulSets().values(), firstNotReadyMember());
                    if (blocker.isPresent()) {
                        rolloutWait = "waiting to roll out rack " + rack.getName() + ": " + blocker.get();
                        continue;
                    }
                    rolled = true;
                }
                writer.ensure(desired, actual, (current, wanted) -> new StatefulSetBuilder(current)
                        .withMetadata(ChildWriter.mergeMetadata(current, wanted))
                        .editSpec()
                            .withTemplate(wanted.getSpec().getTemplate())
                            .withUpdateStrategy(wanted.getSpec().getUpdateStrategy())
                            .withPersistentVolumeClaimRetentionPolicy(wanted.getSpec().getPersistentVolumeClaimRetentionPolicy())
                        .endSpec()
                        .build());
            }
        }

        private void deleteEmptyRemovedRacks() {
            Set<String> racks = cluster.getSpec().getDatacenter().getRacks().stream().map(RackSpec::getName).collect(Collectors.toSet());
            for (StatefulSet statefulSet : observed.statefulSets().values()) {
                String rack = statefulSet.getMetadata().getLabels().get(Labels.RACK);
                String prefix = statefulSet.getMetadata().getName() + "-";
                if (rack != null && !racks.contains(rack) && ChangeRefusal.replicas(statefulSet) == 0
                        && observed.pods().keySet().stream().noneMatch(p -> p.startsWith(prefix))) {
                    LOG.info("Cluster {}: rack {} left the spec and has no members; deleting StatefulSet {}",
                            qualifiedName(cluster), rack, statefulSet.getMetadata().getName());
                    writer.delete(statefulSet);
                    events.normal(cluster, "RackRemoved", "rack " + rack + " left the spec with no members; its StatefulSet was deleted");
                }
            }
        }

        /** Creates or updates the Service of every member that exists or is about to; returns them by member name. */
        private Map<String, Service> ensureMemberServices() {
            Map<String, String> memberRack = new LinkedHashMap<>();
            List<List<String>> seedCandidates = new ArrayList<>();
            Set<String> leaving = new HashSet<>();
            decommissions().forEach(d -> leaving.add(d.member()));
            for (RackSpec rack : cluster.getSpec().getDatacenter().getRacks()) {
                int count = observed.replicas(RackStatefulSet.name(cluster, rack.getName()));
                if (step instanceof ScaleStep.AddMember add && add.rack().equals(rack.getName())) {
                    count = add.ordinal() + 1;
                }
                for (int ordinal = 0; ordinal < count; ordinal++) {
                    memberRack.put(memberName(rack.getName(), ordinal), rack.getName());
                }
                // Seeds come from the members the rack has or will have, so they do not move while the cluster grows.
                List<String> candidates = new ArrayList<>();
                for (int ordinal = 0; ordinal < Math.max(count, rack.getMembers()); ordinal++) {
                    String member = memberName(rack.getName(), ordinal);
                    if (!leaving.contains(member)) {
                        candidates.add(member);
                    }
                }
                seedCandidates.add(candidates);
            }
            seeds = SeedSelection.choose(seedCandidates);
            Map<String, Service> services = new LinkedHashMap<>();
            for (Map.Entry<String, String> entry : memberRack.entrySet()) {
                String member = entry.getKey();
                Service desired = MemberService.build(cluster, entry.getValue(), member, seeds.contains(member));
                services.put(member, writer.ensure(desired, observed.services().get(member), ChildWriter::mergeService));
            }
            return services;
        }

        /** Writes seeds and member addresses when they changed; returns the ConfigMap's data as it now is. */
        private Map<String, String> ensureMembersConfigMap(Map<String, Service> services) {
            Map<String, String> addresses = new LinkedHashMap<>();
            services.forEach((member, service) -> {
                String ip = MemberService.clusterIp(service);
                if (ip != null) {
                    addresses.put(member, ip);
                }
            });
            Map<String, String> replaceMarks = new LinkedHashMap<>();
            services.forEach((member, service) -> {
                if (annotations(service).containsKey(ReplaceStep.CAUSE) && addresses.containsKey(member)) {
                    replaceMarks.put(member + Contract.MembersConfig.REPLACE_SUFFIX, addresses.get(member));
                }
            });
            ConfigMap desired = MembersConfigMap.build(cluster, addresses, seeds);
            desired.getData().putAll(replaceMarks);
            ConfigMap actual = observed.configMaps().get(MembersConfigMap.name(cluster));
            if (actual == null) {
                LOG.info("Cluster {}: creating ConfigMap {} with seeds {}", qualifiedName(cluster), desired.getMetadata().getName(), seeds);
                // An older ConfigMap may be there already: no member starts on addresses it does not hold yet.
                return writer.create(desired).getData();
            } else if (!Objects.equals(actual.getData(), desired.getData())) {
                LOG.info("Cluster {}: updating ConfigMap {}: seeds {}, {} member addresses", qualifiedName(cluster),
                        desired.getMetadata().getName(), desired.getData().get(Contract.MembersConfig.SEEDS), addresses.size());
                writer.update(new ConfigMapBuilder(actual).withData(desired.getData()).build());
            }
            return desired.getData();
        }

        private void execute(Map<String, Service> services, Map<String, String> membersConfig) {
            DecommissionStep decommission = new DecommissionStep(cluster, observed, writer, events, agent, settings);
            CleanupStep cleanup = new CleanupStep(cluster, observed, writer, events, agent, settings);
            ReplaceStep replace = new ReplaceStep(cluster, observed, client, writer, events, agent, settings);
            StepOutcome outcome = null;
            if (step instanceof ScaleStep.AddMember add) {
                addMember(add, services, membersConfig, cleanup);
            } else if (step instanceof ScaleStep.StartReplacement start) {
                outcome = replace.start(start);
            } else if (step instanceof ScaleStep.ContinueReplacement running) {
                outcome = replace.proceed(running, membersConfig);
            } else if (step instanceof ScaleStep.StartCleanup start) {
                outcome = cleanup.start(start);
            } else if (step instanceof ScaleStep.ContinueCleanup running) {
                outcome = cleanup.proceed(running);
            } else if (step instanceof ScaleStep.StartDecommission start) {
                outcome = decommission.start(start);
            } else if (step instanceof ScaleStep.ContinueDecommission running) {
                outcome = decommission.proceed(running);
            } else if (step instanceof ScaleStep.RemoveMember remove) {
                outcome = decommission.remove(remove);
            } else if (step instanceof ScaleStep.CancelDecommission cancel) {
                outcome = decommission.cancel(cancel);
            }
            if (outcome != null) {
                waitingFor = outcome.waitingFor();
                poll = outcome.poll();
                pollSoon = outcome.pollSoon();
                step = outcome.step();
            }
        }

        /** Raises the rack's replicas by one, once the new member's sticky address is allocated and published. */
        private void addMember(ScaleStep.AddMember add, Map<String, Service> services, Map<String, String> membersConfig,
                               CleanupStep cleanup) {
            String ip = MemberService.clusterIp(services.get(add.member()));
            if (ip == null) {
                waitingFor = "waiting for the ClusterIP of member Service " + add.member() + " before starting the member";
                return;
            }
            if (!ip.equals(membersConfig.get(add.member()))) {
                waitingFor = "waiting for the address of " + add.member() + " in ConfigMap " + MembersConfigMap.name(cluster);
                return;
            }
            StatefulSet statefulSet = observed.statefulSets().get(RackStatefulSet.name(cluster, add.rack()));
            if (statefulSet == null) {
                waitingFor = "waiting for StatefulSet " + RackStatefulSet.name(cluster, add.rack());
                return;
            }
            if (!Boolean.FALSE.equals(cluster.getSpec().getCleanupAfterScaleOut())) {
                // Recorded before the member starts: whatever happens next, the members it takes ranges from owe a cleanup.
                String runId = CleanupStep.runId(cluster, add.member());
                for (RackSpec rack : cluster.getSpec().getDatacenter().getRacks()) {
                    for (int ordinal = 0; ordinal < observed.replicas(RackStatefulSet.name(cluster, rack.getName())); ordinal++) {
                        Service member = services.get(memberName(rack.getName(), ordinal));
                        if (member != null) {
                            cleanup.owe(member, runId);
                        }
                    }
                }
            }
            LOG.info("Cluster {}: every member is ready and rack {} is furthest below its count; starting member {} at {}",
                    qualifiedName(cluster), add.rack(), add.member(), ip);
            writer.update(new StatefulSetBuilder(statefulSet).editSpec().withReplicas(add.ordinal() + 1).endSpec().build());
            events.normal(cluster, "MemberAdded", "starting member " + add.member() + " of rack " + add.rack() + " at address " + ip);
        }
    }
}
