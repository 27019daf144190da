package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.agent.OperationState;
import io.cassandraoperator.api.agent.RestoreReport;
import io.cassandraoperator.api.backup.Backup;
import io.cassandraoperator.api.backup.BackupPhase;
import io.cassandraoperator.api.backup.MemberBackupStatus;
import io.cassandraoperator.api.backup.Restore;
import io.cassandraoperator.api.backup.RestoreStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-place Restore's decisions, in pure functions: it restores only a Completed Backup, into the Cluster that
 * Backup was taken of, once that Cluster is Ready; every member the backup holds loads its own files (its manifest),
 * and the Restore is Completed only when every member imported them.
 */
public final class RestorePlan {
    public static final String BACKUP_NOT_FOUND = "BackupNotFound";
    public static final String BACKUP_NOT_COMPLETED = "BackupNotCompleted";
    public static final String SHAPE_CHANGED = "ClusterShapeChanged";

    private RestorePlan() {
    }

    public sealed interface Step permits Finished, Fail, Wait, Start, Follow {
    }

    public record Finished() implements Step {
    }

    public record Fail(String reason, String message) implements Step {
    }

    public record Wait(String reason) implements Step {
    }

    /** Record the members (each with its manifest) in the status, then ask them all at once. */
    public record Start(Map<String, String> manifests) implements Step {
    }

    public record Follow(Map<String, String> notAsked, List<String> asked) implements Step {
    }

    public static Step next(Restore restore, Optional<Backup> backup, Optional<Cluster> cluster) {
        RestoreStatus status = restore.getStatus();
        if (status != null && status.getPhase() != null && status.getPhase().finished()) {
            return new Finished();
        }
        String namespace = restore.getMetadata().getNamespace();
        if (backup.isEmpty()) {
            return new Fail(BACKUP_NOT_FOUND, "Backup " + restore.getSpec().getBackup() + " does not exist in namespace "
                    + namespace + ": name an existing Backup in spec.backup (create a new Restore)");
        }
        if (backup.get().getStatus() == null || backup.get().getStatus().getPhase() != BackupPhase.Completed) {
            return new Fail(BACKUP_NOT_COMPLETED, "Backup " + restore.getSpec().getBackup() + " is not Completed (it is "
                    + (backup.get().getStatus() == null ? "Pending" : backup.get().getStatus().getPhase())
                    + "): only a Completed backup holds every member's files");
        }
        String clusterName = backup.get().getSpec().getCluster();
        if (cluster.isEmpty()) {
            return new Fail(BackupPlan.CLUSTER_NOT_FOUND, "Cluster " + clusterName + ", which Backup "
                    + restore.getSpec().getBackup() + " was taken of, does not exist: an in-place restore loads into it");
        }
        Map<String, String> manifests = new LinkedHashMap<>();
        for (MemberBackupStatus member : backup.get().getStatus().getMembers()) {
            manifests.put(member.getMember(), member.getManifest());
        }
        List<String> now = BackupPlan.members(cluster.get());
        if (!now.equals(List.copyOf(manifests.keySet()))) {
            return new Fail(SHAPE_CHANGED, "Cluster " + clusterName + " has the members " + now + ", the backup "
                    + manifests.keySet() + ": an in-place restore needs the members the backup was taken of");
        }
        if (status == null || status.getPhase() != BackupPhase.Running) {
            boolean ready = DesiredStatus.condition(cluster.get().getStatus(), DesiredStatus.READY)
                    .map(c -> "True".equals(c.getStatus())).orElse(false);
            return ready ? new Start(manifests)
                    : new Wait("Cluster " + clusterName + " is not Ready: the restore starts once every member is");
        }
        Map<String, String> notAsked = new LinkedHashMap<>();
        List<String> asked = new ArrayList<>();
        for (MemberBackupStatus member : status.getMembers()) {
            if (OperationState.NOT_STARTED.name().equals(member.getState())) {
                notAsked.put(member.getMember(), manifests.get(member.getMember()));
            } else {
                asked.add(member.getMember());
            }
        }
        return new Follow(notAsked, asked);
    }

    public static RestoreStatus started(Start start, Instant now) {
        RestoreStatus status = new RestoreStatus();
        status.setPhase(BackupPhase.Running);
        status.setStartTime(now.toString());
        for (String name : start.manifests().keySet()) {
            MemberBackupStatus member = new MemberBackupStatus();
            member.setMember(name);
            member.setState(OperationState.NOT_STARTED.name());
            member.setManifest(start.manifests().get(name));
            status.getMembers().add(member);
        }
        return status;
    }

    public static RestoreStatus pending(RestoreStatus current, String reason, Instant now) {
        RestoreStatus status = current == null ? new RestoreStatus() : current;
        status.setPhase(BackupPhase.Pending);
        status.setConditions(List.of(new ConditionBuilder().withType(BackupPlan.PENDING).withStatus("True")
                .withReason("ClusterNotReady").withMessage(reason).withLastTransitionTime(now.toString()).build()));
        return status;
    }

    public static RestoreStatus failed(RestoreStatus current, String reason, String message, Instant now) {
        RestoreStatus status = current == null ? new RestoreStatus() : current;
        status.setPhase(BackupPhase.Failed);
        status.setEndTime(now.toString());
        status.setConditions(List.of(new ConditionBuilder().withType(BackupPlan.FAILED).withStatus("True").withReason(reason)
                .withMessage(message).withLastTransitionTime(now.toString()).build()));
        return status;
    }

    /** The status the members' answers add up to (the current status is not changed). */
    public static RestoreStatus progress(RestoreStatus current, Map<String, MemberAnswer<RestoreReport>> answers, Instant now) {
        RestoreStatus status = new RestoreStatus();
        status.setPhase(current.getPhase());
        status.setStartTime(current.getStartTime());
        List<MemberBackupStatus> members = new ArrayList<>();
        for (MemberBackupStatus recorded : current.getMembers()) {
            MemberBackupStatus member = new MemberBackupStatus();
            member.setMember(recorded.getMember());
            member.setState(recorded.getState());
            member.setManifest(recorded.getManifest());
            member.setFiles(recorded.getFiles());
            member.setBytes(recorded.getBytes());
            members.add(member);
            MemberAnswer<RestoreReport> answer = answers.get(recorded.getMember());
            if (answer == null) {
                continue;
            }
            if (answer.report() == null) {
                member.setMessage("its agent could not be asked: " + answer.unreachable());
                continue;
            }
            RestoreReport report = answer.report();
            status.setMembers(members);
            if (report.state() == OperationState.NOT_STARTED && !OperationState.NOT_STARTED.name().equals(recorded.getState())) {
                return failed(status, BackupPlan.RUN_LOST, "the agent of member " + recorded.getMember() + " no longer knows"
                        + " this restore's run (it restarted); the member may have imported part of the tables: create a new"
                        + " Restore, which loads them again", now);
            }
            member.setState(report.state().name());
            member.setFiles(report.files());
            member.setBytes(report.bytes());
            member.setMessage(report.message());
            if (report.state() == OperationState.FAILED) {
                return failed(status, BackupPlan.MEMBER_FAILED, "member " + recorded.getMember() + ": " + report.message(), now);
            }
        }
        status.setMembers(members);
        status.setFiles(members.stream().mapToInt(m -> m.getFiles() == null ? 0 : m.getFiles()).sum());
        if (members.stream().allMatch(m -> OperationState.DONE.name().equals(m.getState()))) {
            status.setPhase(BackupPhase.Completed);
            status.setEndTime(now.toString());
        }
        return status;
    }
}
