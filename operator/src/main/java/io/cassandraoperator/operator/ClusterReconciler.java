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
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BinaryOperator;

/**
 * Reconciles one Cluster: refuses what would lose data, creates what is missing, makes at most one membership change
 * per round (see {@link ScalePlan}), and records every decommission step on the member Service before acting on it,
 * so that a restart resumes where the last operator stopped. Reads come from informer caches; writes use create,
 * update with resourceVersion (a stale cache gets a conflict, never a lost update) and delete.
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
                informer(context, Secret.class), informer(context, PodDisruptionBudget.class));
    }

    private static <R extends HasMetadata> InformerEventSource<R, Cluster> informer(EventSourceContext<Cluster> context, Class<R> type) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, Cluster.class)
                .withLabelSelector(ClusterLabels.INFORMER_SELECTOR)
                .withSecondaryToPrimaryMapper(object -> Set.of(new ResourceID(
                        object.getMetadata().getLabels().get(Labels.CLUSTER), object.getMetadata().getNamespace())))
                .build(), context);
    }

    @Override
    public UpdateControl<Cluster> reconcile(Cluster cluster, Context<Cluster> context) {
        KubernetesClient client = context.getClient();
        ClusterEvents events = new ClusterEvents(client);
        ObservedCluster observed = ObservedCluster.from(context);
        Optional<Refusal> refusal = ChangeRefusal.check(cluster, observed.statefulSets().values());
        if (refusal.isPresent()) {
            Refusal refused = refusal.get();
            boolean known = DesiredStatus.condition(cluster.getStatus(), DesiredStatus.DEGRADED)
                    .map(c -> refused.reason().equals(c.getReason()) && refused.message().equals(c.getMessage())).orElse(false);
            if (!known) {
                LOG.warn("Cluster {}/{}: refusing the spec, changing nothing: {}", namespace(cluster), name(cluster), refused.message());
                events.warning(cluster, refused.reason(), refused.message());
            }
            return withStatus(cluster, DesiredStatus.compute(cluster, observed, refusal, new ScaleStep.Steady(), null, Instant.now()), null);
        }
        try {
            Round round = new Round(cluster, observed, client, events);
            round.run();
            ClusterStatus status = DesiredStatus.compute(cluster, observed, refusal, round.step, round.detail, Instant.now());
            return withStatus(cluster, status, round.poll ? settings.operationPollInterval() : null);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                LOG.info("Cluster {}/{}: {} changed since the cache saw it; looking again", namespace(cluster), name(cluster), e.getMessage());
                return UpdateControl.<Cluster>noUpdate().rescheduleAfter(AFTER_CONFLICT);
            }
            throw e;
        }
    }

    private UpdateControl<Cluster> withStatus(Cluster cluster, ClusterStatus next, Duration pollAfter) {
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

    private static String name(HasMetadata object) {
        return object.getMetadata().getName();
    }

    private static String namespace(HasMetadata object) {
        return object.getMetadata().getNamespace();
    }

    /** One reconcile of one Cluster: what it read, what it decided, what it is waiting for. */
    private final class Round {
        private final Cluster cluster;
        private final ObservedCluster observed;
        private final KubernetesClient client;
        private final ClusterEvents events;
        /** Member Services as they are after this round's writes. */
        private final Map<String, Service> services;
        private ScaleStep step = new ScaleStep.Steady();
        private String detail;
        private boolean poll;
        /** Seeds chosen this round, in order; the ConfigMap lists their addresses in this order. */
        private List<String> seedOrder = List.of();
        /** A template change held back by {@link RolloutGate}, reported when nothing more urgent is. */
        private String rolloutWait;

        Round(Cluster cluster, ObservedCluster observed, KubernetesClient client, ClusterEvents events) {
            this.cluster = cluster;
            this.observed = observed;
            this.client = client;
            this.events = events;
            this.services = new HashMap<>(observed.services());
        }

        void run() {
            ensureAgentSecret();
            ensure(ClientService.build(cluster), observed.services().get(ClientService.name(cluster)), ClusterReconciler::mergeService);
            ensure(ClusterDisruptionBudget.build(cluster), observed.disruptionBudgets().get(ClusterDisruptionBudget.name(cluster)),
                    (actual, desired) -> new PodDisruptionBudgetBuilder(actual).withMetadata(mergeMetadata(actual, desired))
                            .withSpec(desired.getSpec()).build());
            ensureStatefulSets();
            deleteEmptyRemovedRacks();

            step = ScalePlan.next(rackStates(), readyMembers(), decommissions(), this::memberName);
            Map<String, String> members = ensureMemberServices();
            Map<String, String> membersConfig = ensureMembersConfigMap(members);
            execute(membersConfig);
            if (detail == null && step.progress() == null) {
                detail = rolloutWait;
            }
        }

        private String memberName(String rack, int ordinal) {
            return Names.member(name(cluster), cluster.getSpec().getDatacenter().getName(), rack, ordinal);
        }

        private List<ScalePlan.Rack> rackStates() {
            return cluster.getSpec().getDatacenter().getRacks().stream()
                    .map(r -> new ScalePlan.Rack(r.getName(), r.getMembers(), observed.replicas(RackStatefulSet.name(cluster, r.getName()))))
                    .toList();
        }

        private Set<String> readyMembers() {
            return observed.pods().keySet().stream().filter(observed::ready).collect(java.util.stream.Collectors.toSet());
        }

        private List<ScalePlan.Decommission> decommissions() {
            List<ScalePlan.Decommission> list = new ArrayList<>();
            for (Service service : observed.services().values()) {
                Map<String, String> labels = service.getMetadata().getLabels();
                String value = labels.get(Labels.DECOMMISSIONED);
                if (value == null || !MemberService.isMemberService(service)) {
                    continue;
                }
                String member = name(service);
                int ordinal = Integer.parseInt(member.substring(member.lastIndexOf('-') + 1));
                String failure = service.getMetadata().getAnnotations() == null ? null
                        : service.getMetadata().getAnnotations().get(Contract.Annotations.DECOMMISSION_FAILURE);
                list.add(new ScalePlan.Decommission(labels.get(Labels.RACK), ordinal, member, "true".equals(value), failure));
            }
            return list;
        }

        private void ensureAgentSecret() {
            if (!observed.secrets().containsKey(AgentTokenSecret.name(cluster))) {
                LOG.info("Cluster {}/{}: creating the agent token Secret {}", namespace(cluster), name(cluster), AgentTokenSecret.name(cluster));
                create(AgentTokenSecret.build(cluster, AgentTokenSecret.newToken()));
            }
        }

        private void ensureStatefulSets() {
            boolean rolled = false;
            for (RackSpec rack : cluster.getSpec().getDatacenter().getRacks()) {
                String name = RackStatefulSet.name(cluster, rack.getName());
                StatefulSet actual = observed.statefulSets().get(name);
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
                ensure(desired, actual, (current, wanted) -> new StatefulSetBuilder(current)
                        .withMetadata(mergeMetadata(current, wanted))
                        .editSpec()
                            .withTemplate(wanted.getSpec().getTemplate())
                            .withUpdateStrategy(wanted.getSpec().getUpdateStrategy())
                            .withPersistentVolumeClaimRetentionPolicy(wanted.getSpec().getPersistentVolumeClaimRetentionPolicy())
                        .endSpec()
                        .build());
            }
        }

        private Optional<String> firstNotReadyMember() {
            return cluster.getSpec().getDatacenter().getRacks().stream()
                    .flatMap(r -> java.util.stream.IntStream.range(0, observed.replicas(RackStatefulSet.name(cluster, r.getName())))
                            .mapToObj(o -> memberName(r.getName(), o)))
                    .filter(m -> !observed.ready(m))
                    .findFirst();
        }

        private void deleteEmptyRemovedRacks() {
            Set<String> racks = cluster.getSpec().getDatacenter().getRacks().stream().map(RackSpec::getName).collect(java.util.stream.Collectors.toSet());
            for (StatefulSet statefulSet : observed.statefulSets().values()) {
                String rack = statefulSet.getMetadata().getLabels().get(Labels.RACK);
                if (rack != null && !racks.contains(rack) && ChangeRefusal.replicas(statefulSet) == 0
                        && observed.pods().keySet().stream().noneMatch(p -> p.startsWith(name(statefulSet) + "-"))) {
                    LOG.info("Cluster {}/{}: rack {} left the spec and has no members; deleting StatefulSet {}",
                            namespace(cluster), name(cluster), rack, name(statefulSet));
                    client.resource(statefulSet).delete();
                    events.normal(cluster, "RackRemoved", "rack " + rack + " left the spec with no members; its StatefulSet was deleted");
                }
            }
        }

        /** Creates or updates the Service of every member that exists or is about to; returns member → ClusterIP. */
        private Map<String, String> ensureMemberServices() {
            Map<String, String> memberRack = new LinkedHashMap<>();
            List<List<String>> seedCandidates = new ArrayList<>();
            Set<String> leaving = new java.util.HashSet<>();
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
            seedOrder = SeedSelection.choose(seedCandidates);
            Set<String> seeds = Set.copyOf(seedOrder);
            Map<String, String> addresses = new LinkedHashMap<>();
            for (Map.Entry<String, String> entry : memberRack.entrySet()) {
                String member = entry.getKey();
                Service desired = MemberService.build(cluster, entry.getValue(), member, seeds.contains(member));
                Service service = ensure(desired, observed.services().get(member), ClusterReconciler::mergeService);
                services.put(member, service);
                String ip = MemberService.clusterIp(service);
                if (ip != null) {
                    addresses.put(member, ip);
                }
            }
            return addresses;
        }

        private Map<String, String> ensureMembersConfigMap(Map<String, String> addresses) {
            ConfigMap desired = MembersConfigMap.build(cluster, addresses, seedOrder);
            ConfigMap actual = observed.configMaps().get(MembersConfigMap.name(cluster));
            if (actual == null) {
                LOG.info("Cluster {}/{}: creating ConfigMap {} with seeds {}", namespace(cluster), name(cluster), name(desired), seedOrder);
                create(desired);
            } else if (!Objects.equals(actual.getData(), desired.getData())) {
                LOG.info("Cluster {}/{}: updating ConfigMap {}: seeds {}, {} member addresses", namespace(cluster), name(cluster),
                        name(desired), desired.getData().get(Contract.MembersConfig.SEEDS), addresses.size());
                client.resource(new ConfigMapBuilder(actual).withData(desired.getData()).build()).update();
            }
            return desired.getData();
        }

        private void execute(Map<String, String> membersConfig) {
            if (step instanceof ScaleStep.AddMember add) {
                addMember(add, membersConfig);
            } else if (step instanceof ScaleStep.StartDecommission start) {
                Service service = services.get(start.member());
                LOG.info("Cluster {}/{}: rack {} has more members than the spec wants; decommissioning its highest member {}",
                        namespace(cluster), name(cluster), start.rack(), start.member());
                updateService(service, m -> m.addToLabels(Labels.DECOMMISSIONED, "false"));
                events.normal(cluster, "DecommissionStarted", "decommissioning member " + start.member() + " of rack " + start.rack()
                        + ": the rack should have " + desiredMembers(start.rack()) + " members");
                poll = true;
            } else if (step instanceof ScaleStep.ContinueDecommission decommission) {
                continueDecommission(decommission);
            } else if (step instanceof ScaleStep.RemoveMember remove) {
                removeMember(remove);
            } else if (step instanceof ScaleStep.CancelDecommission cancel) {
                LOG.info("Cluster {}/{}: the spec wants member {} again; clearing its failed decommission", namespace(cluster), name(cluster), cancel.member());
                updateService(services.get(cancel.member()), m -> m.removeFromLabels(Labels.DECOMMISSIONED)
                        .removeFromAnnotations(Contract.Annotations.DECOMMISSION_FAILURE));
                events.normal(cluster, "DecommissionCancelled", "member " + cancel.member() + " stays: the spec wants it again");
            }
        }

        private int desiredMembers(String rack) {
            return cluster.getSpec().getDatacenter().getRacks().stream().filter(r -> r.getName().equals(rack))
                    .mapToInt(RackSpec::getMembers).findFirst().orElse(0);
        }

        private void addMember(ScaleStep.AddMember add, Map<String, String> membersConfig) {
            String ip = MemberService.clusterIp(services.get(add.member()));
            if (ip == null) {
                detail = "waiting for the ClusterIP of member Service " + add.member() + " before starting the member";
                return;
            }
            if (!ip.equals(membersConfig.get(add.member()))) {
                detail = "waiting for the address of " + add.member() + " in ConfigMap " + MembersConfigMap.name(cluster);
                return;
            }
            StatefulSet statefulSet = observed.statefulSets().get(RackStatefulSet.name(cluster, add.rack()));
            if (statefulSet == null) {
                detail = "waiting for StatefulSet " + RackStatefulSet.name(cluster, add.rack());
                return;
            }
            LOG.info("Cluster {}/{}: every member is ready and rack {} is furthest below its count; starting member {} at {}",
                    namespace(cluster), name(cluster), add.rack(), add.member(), ip);
            client.resource(new StatefulSetBuilder(statefulSet).editSpec().withReplicas(add.ordinal() + 1).endSpec().build()).update();
            events.normal(cluster, "MemberAdded", "starting member " + add.member() + " of rack " + add.rack() + " at address " + ip);
        }

        private void continueDecommission(ScaleStep.ContinueDecommission decommission) {
            poll = true;
            Pod pod = observed.pods().get(decommission.member());
            Optional<URI> uri = pod == null ? Optional.empty() : settings.agent(pod);
            Secret secret = observed.secrets().get(AgentTokenSecret.name(cluster));
            if (uri.isEmpty() || secret == null) {
                detail = "waiting for the pod IP of " + decommission.member() + " and the agent token to reach its agent";
                return;
            }
            String token = AgentTokenSecret.token(secret);
            AgentClient.OperationState state;
            try {
                state = agent.get(uri.get(), Contract.AgentApi.DECOMMISSION, token);
                if (AgentClient.OperationState.NOT_STARTED.equals(state.state())) {
                    LOG.info("Cluster {}/{}: asking the agent of {} at {} to decommission it", namespace(cluster), name(cluster), decommission.member(), uri.get());
                    state = agent.start(uri.get(), Contract.AgentApi.DECOMMISSION, token);
                }
            } catch (AgentClient.AgentUnavailableException e) {
                LOG.info("Cluster {}/{}: agent of {} not reachable, will retry: {}", namespace(cluster), name(cluster), decommission.member(), e.getMessage());
                detail = "decommissioning member " + decommission.member() + ": its agent is not reachable yet (" + e.getMessage() + ")";
                return;
            }
            Service service = services.get(decommission.member());
            switch (state.state()) {
                case AgentClient.OperationState.DONE -> {
                    LOG.info("Cluster {}/{}: Cassandra reports {} decommissioned; recording it", namespace(cluster), name(cluster), decommission.member());
                    updateService(service, m -> m.addToLabels(Labels.DECOMMISSIONED, "true"));
                    events.normal(cluster, "DecommissionFinished", "member " + decommission.member() + " left the ring; removing its pod, Service and claim");
                    poll = false;
                }
                case AgentClient.OperationState.FAILED -> {
                    String message = state.message() == null ? "no message" : state.message();
                    LOG.warn("Cluster {}/{}: decommission of {} failed, the member stays: {}", namespace(cluster), name(cluster), decommission.member(), message);
                    updateService(service, m -> m.addToAnnotations(Contract.Annotations.DECOMMISSION_FAILURE, message));
                    events.warning(cluster, "DecommissionFailed", "decommission of member " + decommission.member() + " failed, the member stays: " + message);
                    step = new ScaleStep.DecommissionFailed(decommission.rack(), decommission.member(), message);
                    poll = false;
                }
                default -> detail = "member " + decommission.member() + " is decommissioning (agent reports " + state.state() + ")";
            }
        }

        private void removeMember(ScaleStep.RemoveMember remove) {
            StatefulSet statefulSet = observed.statefulSets().get(RackStatefulSet.name(cluster, remove.rack()));
            if (statefulSet != null && ChangeRefusal.replicas(statefulSet) > remove.ordinal()) {
                LOG.info("Cluster {}/{}: {} is decommissioned; lowering StatefulSet {} to {} replicas", namespace(cluster), name(cluster),
                        remove.member(), name(statefulSet), remove.ordinal());
                client.resource(new StatefulSetBuilder(statefulSet).editSpec().withReplicas(remove.ordinal()).endSpec().build()).update();
                return;
            }
            if (observed.pods().containsKey(remove.member())) {
                detail = "waiting for the pod of decommissioned member " + remove.member() + " to terminate";
                return;
            }
            for (PersistentVolumeClaim claim : observed.claims().values()) {
                if (name(claim).endsWith("-" + remove.member())) {
                    LOG.info("Cluster {}/{}: deleting claim {} of decommissioned member {}", namespace(cluster), name(cluster), name(claim), remove.member());
                    client.resource(claim).delete();
                }
            }
            LOG.info("Cluster {}/{}: deleting Service of decommissioned member {}", namespace(cluster), name(cluster), remove.member());
            client.resource(services.get(remove.member())).delete();
            events.normal(cluster, "MemberRemoved", "member " + remove.member() + " was decommissioned and removed with its claim");
        }

        private void updateService(Service service, java.util.function.Consumer<ObjectMetaBuilder> change) {
            ObjectMetaBuilder metadata = new ObjectMetaBuilder(service.getMetadata());
            change.accept(metadata);
            services.put(name(service), client.resource(new ServiceBuilder(service).withMetadata(metadata.build()).build()).update());
        }

        private <T extends HasMetadata> T ensure(T desired, T actual, BinaryOperator<T> merge) {
            String hash = DesiredHash.of(desired);
            if (desired.getMetadata().getAnnotations() == null) {
                desired.getMetadata().setAnnotations(new LinkedHashMap<>());
            }
            if (actual == null) {
                desired.getMetadata().getAnnotations().put(DesiredHash.ANNOTATION, hash);
                LOG.info("Cluster {}/{}: creating {} {}", namespace(cluster), name(cluster), desired.getKind(), name(desired));
                return create(desired);
            }
            if (hash.equals(DesiredHash.recorded(actual))) {
                return actual;
            }
            T updated = merge.apply(actual, desired);
            updated.getMetadata().getAnnotations().put(DesiredHash.ANNOTATION, hash);
            LOG.info("Cluster {}/{}: updating {} {}: the spec asks for a different object", namespace(cluster), name(cluster), desired.getKind(), name(desired));
            return client.resource(updated).update();
        }

        private <T extends HasMetadata> T create(T object) {
            if (object.getMetadata().getAnnotations() == null) {
                object.getMetadata().setAnnotations(new LinkedHashMap<>());
            }
            try {
                return client.resource(object).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                    // The cache had not seen our own earlier create yet; the object is there.
                    return object;
                }
                throw e;
            }
        }
    }

    /** Desired labels and annotations over the actual ones; the seed label goes when no longer wanted. */
    private static ObjectMeta mergeMetadata(HasMetadata actual, HasMetadata desired) {
        ObjectMetaBuilder metadata = new ObjectMetaBuilder(actual.getMetadata());
        if (desired.getMetadata().getLabels() == null || !desired.getMetadata().getLabels().containsKey(Labels.SEED)) {
            metadata.removeFromLabels(Labels.SEED);
        }
        metadata.addToLabels(desired.getMetadata().getLabels());
        if (desired.getMetadata().getAnnotations() != null) {
            metadata.addToAnnotations(desired.getMetadata().getAnnotations());
        }
        if (metadata.getAnnotations() == null) {
            metadata.withAnnotations(new LinkedHashMap<>());
        }
        return metadata.build();
    }

    /** The server allocated the ClusterIP: keep it, take everything else from the desired Service. */
    private static Service mergeService(Service actual, Service desired) {
        return new ServiceBuilder(desired)
                .withMetadata(mergeMetadata(actual, desired))
                .editSpec()
                    .withClusterIP(actual.getSpec().getClusterIP())
                    .withClusterIPs(actual.getSpec().getClusterIPs())
                    .withIpFamilies(actual.getSpec().getIpFamilies())
                    .withIpFamilyPolicy(actual.getSpec().getIpFamilyPolicy())
                .endSpec()
                .build();
    }
}
