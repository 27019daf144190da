package io.cassandraoperator.operator.reconcile;

import io.cassandraoperator.api.agent.RestoreReport;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.api.backup.Backup;
import io.cassandraoperator.api.backup.BackupPhase;
import io.cassandraoperator.api.backup.Restore;
import io.cassandraoperator.api.backup.RestoreStatus;
import io.cassandraoperator.operator.OperatorSettings;
import io.cassandraoperator.operator.act.AgentClient;
import io.cassandraoperator.operator.act.RestoreActions;
import io.cassandraoperator.operator.act.StoreCredentials;
import io.cassandraoperator.operator.observe.ObservedBackup;
import io.cassandraoperator.operator.plan.RestorePlan;
import io.cassandraoperator.operator.plan.MemberAnswer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Reconciles one in-place Restore like a Backup: <b>observe</b> the Backup, its Cluster, pods and agent token,
 * <b>plan</b> ({@link RestorePlan#next}), <b>act</b> through {@link RestoreActions}: record the members before any
 * is asked, ask them all at once, follow their reports until every member imported its files or one failed.
 */
public class RestoreReconciler implements Reconciler<Restore> {
    static final Duration POLL = Duration.ofSeconds(2);

    private final OperatorSettings settings;
    private final AgentClient agents = new AgentClient();
    private final ExecutorService calls = Executors.newFixedThreadPool(8, runnable -> {
        Thread thread = new Thread(runnable, "restore-agent-call");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<String> recordedEvents = ConcurrentHashMap.newKeySet();

    public RestoreReconciler(OperatorSettings settings) {
        this.settings = settings;
    }

    @Override
    public List<EventSource<?, Restore>> prepareEventSources(EventSourceContext<Restore> context) {
        return BackupEventSources.forRestores(context);
    }

    @Override
    @SuppressWarnings("unchecked")
    public UpdateControl<Restore> reconcile(Restore restore, Context<Restore> context) {
        String namespace = restore.getMetadata().getNamespace();
        var backups = (InformerEventSource<Backup, Restore>) context.eventSourceRetriever()
                .getEventSourceFor(Backup.class, ObservedBackup.BACKUPS);
        Optional<Backup> backup = backups.get(new ResourceID(restore.getSpec().getBackup(), namespace));
        ObservedBackup observed = ObservedBackup.of(namespace,
                backup.map(b -> b.getSpec().getCluster()).orElse(""), context);
        RestoreActions act = new RestoreActions(restore, backup.orElse(null), observed, context.getClient(), settings,
                agents, calls, recordedEvents);
        RestorePlan.Step step = RestorePlan.next(restore, backup, observed.cluster());
        if (step instanceof RestorePlan.Fail fail) {
            return fail(restore, act, fail.reason(), fail.message());
        }
        if (step instanceof RestorePlan.Wait wait) {
            if (restore.getStatus() == null || restore.getStatus().getPhase() != BackupPhase.Pending) {
                act.writeStatus(RestorePlan.pending(restore.getStatus(), wait.reason(), Instant.now()));
            }
            return UpdateControl.<Restore>noUpdate().rescheduleAfter(POLL);
        }
        if (step instanceof RestorePlan.Start start) {
            StoreCredentials credentials = act.credentials();
            if (credentials.access() == null) {
                return fail(restore, act, "CredentialsNotFound", credentials.problem());
            }
            act.writeStatus(RestorePlan.started(start, Instant.now()));
            act.event(EventReason.RestoreStarted, "asking " + start.manifests().size() + " members to import "
                    + restore.getSpec().getTables() + " from Backup " + restore.getSpec().getBackup());
            return record(restore, act, act.start(start.manifests(), credentials.access()));
        }
        if (step instanceof RestorePlan.Follow follow) {
            Map<String, MemberAnswer<RestoreReport>> answers = new LinkedHashMap<>(act.ask(follow.asked()));
            if (!follow.notAsked().isEmpty()) {
                StoreCredentials credentials = act.credentials();
                if (credentials.access() == null) {
                    return fail(restore, act, "CredentialsNotFound", credentials.problem());
                }
                answers.putAll(act.start(follow.notAsked(), credentials.access()));
            }
            return record(restore, act, answers);
        }
        return UpdateControl.noUpdate();
    }

    private static UpdateControl<Restore> record(Restore restore, RestoreActions act, Map<String, MemberAnswer<RestoreReport>> answers) {
        RestoreStatus next = RestorePlan.progress(restore.getStatus(), answers, Instant.now());
        act.writeStatus(next);
        if (next.getPhase() == BackupPhase.Completed) {
            act.event(EventReason.RestoreCompleted, next.getMembers().size() + " members imported " + next.getFiles()
                    + " files into " + restore.getSpec().getTables() + "; no member was restarted");
            return UpdateControl.noUpdate();
        }
        if (next.getPhase() == BackupPhase.Failed) {
            act.event(EventReason.RestoreFailed, next.getConditions().get(0).getMessage());
            return UpdateControl.noUpdate();
        }
        return UpdateControl.<Restore>noUpdate().rescheduleAfter(POLL);
    }

    private static UpdateControl<Restore> fail(Restore restore, RestoreActions act, String reason, String message) {
        act.writeStatus(RestorePlan.failed(restore.getStatus(), reason, message, Instant.now()));
        act.event(EventReason.RestoreFailed, message);
        return UpdateControl.noUpdate();
    }
}
