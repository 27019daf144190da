package io.cassandraoperator.operator.reconcile;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.ClusterStatus;
import io.cassandraoperator.operator.OperatorSettings;
import io.cassandraoperator.operator.act.AgentClient;
import io.cassandraoperator.operator.act.ClusterChildren;
import io.cassandraoperator.operator.act.RoundActions;
import io.cassandraoperator.operator.act.StepOutcome;
import io.cassandraoperator.operator.model.ClusterCaSecrets;
import io.cassandraoperator.operator.observe.MemberRecords;
import io.cassandraoperator.operator.observe.ObservedCluster;
import io.cassandraoperator.operator.plan.CaSecretCheck;
import io.cassandraoperator.operator.plan.ChangeRefusal;
import io.cassandraoperator.operator.plan.DataDeletion;
import io.cassandraoperator.operator.plan.DesiredMembers;
import io.cassandraoperator.operator.plan.DesiredStatus;
import io.cassandraoperator.operator.plan.MemberLoss;
import io.cassandraoperator.operator.plan.RackRemoval;
import io.cassandraoperator.operator.plan.Refusal;
import io.cassandraoperator.operator.plan.RollingPartition;
import io.cassandraoperator.operator.plan.RolloutGate;
import io.cassandraoperator.operator.plan.ScalePlan;
import io.cassandraoperator.operator.plan.ScaleStep;
import io.cassandraoperator.operator.plan.StorageSizeChange;
import io.cassandraoperator.operator.plan.StuckPod;
import io.cassandraoperator.operator.plan.TlsDecision;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reconciles one Cluster in named phases: <b>observe</b> the informer caches and the member records, <b>delete</b>
 * (the finalizer, and the data deletion of a Cluster with {@code whenDeleted: Delete}), <b>refuse</b> a
 * spec that would lose data (nothing is written then but the status), <b>plan</b> in pure functions (which racks may
 * roll, which racks go, the one membership step, the members and seeds), <b>act</b> through {@link RoundActions}
 * (the only writer), and <b>report</b> the status, polling again while an agent operation runs.
 */
public class ClusterReconciler implements Reconciler<Cluster> {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterReconciler.class);
    /** After a conflict (our cache was behind the API), look again soon rather than through the error backoff. */
    private static final Duration AFTER_CONFLICT = Duration.ofMillis(500);
    /** How often a deleted Cluster's cleanup looks again while pods or claims are going. */
    private static final Duration DELETION_POLL = Duration.ofSeconds(1);

    private final OperatorSettings settings;
    private final AgentClient agent = new AgentClient();
    /** Events already on the server, by name; each reports one occurrence and is recorded once (act.ClusterEvents). */
    private final Set<String> recordedEvents = ConcurrentHashMap.newKeySet();

    public ClusterReconciler(OperatorSettings settings) {
        this.settings = settings;
    }

    @Override
    public List<EventSource<?, Cluster>> prepareEventSources(EventSourceContext<Cluster> context) {
        return ClusterEventSources.of(context);
    }

    @Override
    public UpdateControl<Cluster> reconcile(Cluster cluster, Context<Cluster> context) {
        if (context.isPrimaryResourceDeleted()) {
            // Called on every event (ClusterOperator): a Cluster that is gone has nothing left to write.
            return UpdateControl.noUpdate();
        }
        ObservedCluster observed = ObservedCluster.from(context);
        RoundActions act = new RoundActions(cluster, observed, context.getClient(), settings, agent, recordedEvents);
        try {
            Optional<UpdateControl<Cluster>> deleting = deletion(cluster, observed, act);
            if (deleting.isPresent()) {
                return deleting.get();
            }
            StorageSizeChange.Decision storage = StorageSizeChange.decide(cluster, observed);
            Optional<Refusal> refusal = ChangeRefusal.check(cluster, observed.statefulSets().values(), observed.pods())
                    .or(storage::refusal)
                    .or(() -> TlsDecision.refusal(cluster, observed.statefulSets().values()))
                    .or(() -> TlsDecision.settings(cluster, observed.statefulSets().values()).enabled()
                            ? CaSecretCheck.refusal(observed.secrets().get(ClusterCaSecrets.caName(cluster)), Instant.now())
                            : Optional.empty());
            if (refusal.isPresent()) {
                return refuse(cluster, observed, refusal.get(), act);
            }
            StepOutcome outcome = planAndAct(cluster, observed, act, storage.expansions());
            ClusterStatus status = DesiredStatus.compute(cluster, observed, Optional.empty(), outcome.step(), outcome.waitingFor(), Instant.now());
            return withStatus(cluster, status, !outcome.poll() ? null
                    : outcome.pollSoon() ? settings.decommissionPollInterval() : settings.operationPollInterval());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                LOG.info("Cluster {}: an object changed since the cache saw it ({}); looking again", qualifiedName(cluster), e.getMessage());
                return UpdateControl.<Cluster>noUpdate().rescheduleAfter(AFTER_CONFLICT);
            }
            throw e;
        }
    }

    /**
     * The finalizer's phase: adds or removes it as {@code whenDeleted} asks, and while the Cluster is being deleted runs
     * the data deletion's next step and ends the round there (nothing is created or changed any more).
     */
    private Optional<UpdateControl<Cluster>> deletion(Cluster cluster, ObservedCluster observed, RoundActions act) {
        DataDeletion.Step deletion = DataDeletion.next(cluster, observed, Instant.now(), settings.deletionCleanupLimit());
        boolean cleaning = act.deletion().take(deletion);
        if (cluster.isMarkedForDeletion()) {
            return Optional.of(cleaning ? UpdateControl.<Cluster>noUpdate().rescheduleAfter(DELETION_POLL) : UpdateControl.noUpdate());
        }
        if (deletion instanceof DataDeletion.AddFinalizer || deletion instanceof DataDeletion.RemoveFinalizer) {
            // A metadata-only change raises no event JOSDK passes on (generation-aware): look again at once.
            return Optional.of(UpdateControl.<Cluster>noUpdate().rescheduleAfter(Duration.ZERO));
        }
        return Optional.empty();
    }

    /** The refused spec is reported once (the Event is not repeated while Degraded already says it); nothing else is written. */
    private static UpdateControl<Cluster> refuse(Cluster cluster, ObservedCluster observed, Refusal refusal, RoundActions act) {
        boolean reported = DesiredStatus.condition(cluster.getStatus(), DesiredStatus.DEGRADED)
                .map(c -> refusal.reason().name().equals(c.getReason()) && refusal.message().equals(c.getMessage())).orElse(false);
        if (!reported) {
            act.reportRefusal(refusal);
        }
        return withStatus(cluster, DesiredStatus.compute(cluster, observed, Optional.of(refusal), new ScaleStep.Steady(), null, Instant.now()), null);
    }

    /** The phases after the refusal check, in the order their writes must happen. */
    private static StepOutcome planAndAct(Cluster cluster, ObservedCluster observed, RoundActions act,
                                          List<StorageSizeChange.ClaimExpansion> expansions) {
        ClusterChildren children = act.children();
        children.ensureSecrets();
        children.releaseRetained();
        children.ensureClusterObjects();
        RolloutGate.Rollout rollout = RolloutGate.plan(cluster, observed);
        children.ensureRacks(rollout);
        RollingPartition.Rolls rolls = RollingPartition.next(cluster, observed, act.gossipViews(RollingPartition.viewsNeeded(observed)));
        children.lowerPartitions(rolls);
        children.removeRacks(RackRemoval.deletable(cluster, observed));
        children.expandClaims(expansions);

        MemberRecords records = MemberRecords.of(cluster, observed);
        children.deleteStuckPod(StuckPod.find(cluster, observed, records));
        MemberLoss.Assessment losses = MemberLoss.assess(cluster, observed, records, Instant.now());
        act.recordNodeAbsences(losses);
        ScaleStep step = losses.over(ScalePlan.next(cluster, observed, records, losses.losses()));
        DesiredMembers members = DesiredMembers.of(cluster, observed, step, records.leaving());
        Map<String, Service> services = children.ensureMemberServices(members);
        Map<String, String> membersConfig = children.ensureMembersConfigMap(services, members.seeds(), records.replacing());
        children.ensureTls(TlsDecision.settings(cluster, observed.statefulSets().values()), services);

        StepOutcome outcome = act.take(step, records, services, membersConfig);
        String waitingFor = outcome.waitingFor() != null ? outcome.waitingFor() : waitDetail(cluster, observed, step);
        if (waitingFor == null && outcome.step().progress() == null) {
            waitingFor = rolls.waitingFor() != null ? rolls.waitingFor() : rollout.heldBack();
        }
        // Gossip changes raise no Kubernetes event: a roll that waits for it looks again soon.
        return new StepOutcome(waitingFor, outcome.poll() || rolls.rolling(), outcome.step(), outcome.pollSoon());
    }

    /** A wait that names the first member not ready also says what its pod is doing. */
    private static String waitDetail(Cluster cluster, ObservedCluster observed, ScaleStep step) {
        if (!(step instanceof ScaleStep.Wait wait)) {
            return null;
        }
        return observed.firstNotReadyMember(cluster).filter(m -> wait.progress().contains(m))
                .map(m -> wait.progress() + " (" + observed.podState(m) + ")").orElse(null);
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

    private static String qualifiedName(Cluster cluster) {
        return cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName();
    }
}
