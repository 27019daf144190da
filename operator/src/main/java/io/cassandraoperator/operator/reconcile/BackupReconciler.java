package io.cassandraoperator.operator.reconcile;

import io.cassandraoperator.api.agent.BackupReport;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.api.backup.Backup;
import io.cassandraoperator.api.backup.BackupPhase;
import io.cassandraoperator.api.backup.BackupStatus;
import io.cassandraoperator.operator.OperatorSettings;
import io.cassandraoperator.operator.act.AgentClient;
import io.cassandraoperator.operator.act.BackupActions;
import io.cassandraoperator.operator.act.StoreCredentials;
import io.cassandraoperator.operator.observe.ObservedBackup;
import io.cassandraoperator.operator.plan.BackupPlan;
import io.cassandraoperator.operator.plan.MemberAnswer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Reconciles one Backup: <b>observe</b> its Cluster, pods and agent token in the caches, <b>plan</b> the round
 * ({@link BackupPlan#next}), <b>act</b> through {@link BackupActions}: record the run in the status before any member
 * is asked, ask every member at once, then follow the members' reports until every manifest is stored or one fails.
 * The status is the run's record: a restarted operator finds the tag and the members there and carries on.
 */
public class BackupReconciler implements Reconciler<Backup> {
    /** How often a running Backup asks its members for their reports. */
    static final Duration POLL = Duration.ofSeconds(2);

    private final OperatorSettings settings;
    private final AgentClient agents = new AgentClient();
    private final ExecutorService calls = Executors.newFixedThreadPool(8, runnable -> {
        Thread thread = new Thread(runnable, "backup-agent-call");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<String> recordedEvents = ConcurrentHashMap.newKeySet();

    public BackupReconciler(OperatorSettings settings) {
        this.settings = settings;
    }

    @Override
    public List<EventSource<?, Backup>> prepareEventSources(EventSourceContext<Backup> context) {
        return BackupEventSources.of(context);
    }

    @Override
    public UpdateControl<Backup> reconcile(Backup backup, Context<Backup> context) {
        ObservedBackup observed = ObservedBackup.from(backup, context);
        BackupActions act = new BackupActions(backup, observed, context.getClient(), settings, agents, calls, recordedEvents);
        BackupPlan.Step step = BackupPlan.next(backup, observed.cluster());
        if (step instanceof BackupPlan.Fail fail) {
            return fail(backup, act, fail.reason(), fail.message());
        }
        if (step instanceof BackupPlan.Wait wait) {
            BackupStatus pending = BackupPlan.pending(backup.getStatus(), wait.reason(), Instant.now());
            if (backup.getStatus() == null || backup.getStatus().getPhase() != BackupPhase.Pending) {
                act.writeStatus(pending);
            }
            return UpdateControl.<Backup>noUpdate().rescheduleAfter(POLL);
        }
        if (step instanceof BackupPlan.Start start) {
            return start(backup, act, start);
        }
        if (step instanceof BackupPlan.Follow follow) {
            return follow(backup, act, follow);
        }
        return UpdateControl.noUpdate();
    }

    private static UpdateControl<Backup> start(Backup backup, BackupActions act, BackupPlan.Start start) {
        StoreCredentials credentials = act.credentials();
        if (credentials.access() == null) {
            return fail(backup, act, BackupPlan.CREDENTIALS_NOT_FOUND, credentials.problem());
        }
        if (start.members().isEmpty()) {
            return fail(backup, act, BackupPlan.MEMBER_FAILED, "Cluster " + backup.getSpec().getCluster() + " has no members to back up");
        }
        // Recorded before any member is asked: a restarted operator follows this run instead of starting another.
        act.writeStatus(BackupPlan.started(backup, start, Instant.now()));
        act.event(EventReason.BackupStarted, "asking " + start.members().size() + " members to snapshot under "
                + start.snapshotTag() + " and upload to " + backup.getStatus().getManifestLocation());
        return record(backup, act, act.start(start.members(), credentials.access()));
    }

    private static UpdateControl<Backup> follow(Backup backup, BackupActions act, BackupPlan.Follow follow) {
        Map<String, MemberAnswer<BackupReport>> answers = new LinkedHashMap<>(act.ask(follow.asked()));
        if (!follow.notAsked().isEmpty()) {
            StoreCredentials credentials = act.credentials();
            if (credentials.access() == null) {
                return fail(backup, act, BackupPlan.CREDENTIALS_NOT_FOUND, credentials.problem());
            }
            answers.putAll(act.start(follow.notAsked(), credentials.access()));
        }
        return record(backup, act, answers);
    }

    private static UpdateControl<Backup> record(Backup backup, BackupActions act, Map<String, MemberAnswer<BackupReport>> answers) {
        BackupStatus before = backup.getStatus();
        BackupStatus next = BackupPlan.progress(before, answers, Instant.now());
        act.writeStatus(next);
        if (next.getPhase() == BackupPhase.Completed) {
            act.event(EventReason.BackupCompleted, next.getMembers().size() + " members' manifests stored at "
                    + next.getManifestLocation() + ": " + next.getFiles() + " files, " + next.getBytesReferenced()
                    + " bytes referenced, " + next.getBytesUploaded() + " uploaded");
            return UpdateControl.noUpdate();
        }
        if (next.getPhase() == BackupPhase.Failed) {
            act.event(EventReason.BackupFailed, next.getConditions().get(0).getMessage());
            return UpdateControl.noUpdate();
        }
        return UpdateControl.<Backup>noUpdate().rescheduleAfter(POLL);
    }

    private static UpdateControl<Backup> fail(Backup backup, BackupActions act, String reason, String message) {
        act.writeStatus(BackupPlan.failed(backup.getStatus(), reason, message, Instant.now()));
        act.event(EventReason.BackupFailed, message);
        return UpdateControl.noUpdate();
    }
}
