package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Names;
import io.cassandraoperator.api.RackSpec;
import io.cassandraoperator.api.agent.BackupReport;
import io.cassandraoperator.api.agent.OperationState;
import io.cassandraoperator.api.backup.Backup;
import io.cassandraoperator.api.backup.BackupPhase;
import io.cassandraoperator.api.backup.BackupStatus;
import io.cassandraoperator.api.backup.MemberBackupStatus;
import io.cassandraoperator.api.backup.StoreLayout;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Backup's decisions, in pure functions: what the next round does ({@link #next}) and the status the members'
 * reports add up to ({@link #progress}). A Backup is Completed only when every member reported DONE, which its agent
 * says only once the member's manifest is stored after every file it names; any member's failure, and a run an agent
 * no longer knows (it restarted mid-upload), fail the Backup with what to do.
 */
public final class BackupPlan {
    public static final String FAILED = "Failed";
    public static final String PENDING = "Pending";
    /** Condition reasons of a failed Backup. */
    public static final String CLUSTER_NOT_FOUND = "ClusterNotFound";
    public static final String CREDENTIALS_NOT_FOUND = "CredentialsNotFound";
    public static final String MEMBER_FAILED = "MemberFailed";
    public static final String RUN_LOST = "RunLost";

    private BackupPlan() {
    }

    /** What a round does. */
    public sealed interface Step permits Finished, Fail, Wait, Start, Follow {
    }

    /** Not started yet, for the reason given: a snapshot of members that are not all up would miss data. */
    public record Wait(String reason) implements Step {
    }

    /** Completed or Failed: nothing more to do. */
    public record Finished() implements Step {
    }

    /** End the Backup as Failed, touching nothing of the Cluster. */
    public record Fail(String reason, String message) implements Step {
    }

    /** Record the run (tag, members) in the status, then ask every member at once to snapshot and upload. */
    public record Start(String snapshotTag, List<String> members) implements Step {
    }

    /** Ask each member for its report; a member the run recorded but never reached is asked to start. */
    public record Follow(List<String> notAsked, List<String> asked) implements Step {
    }

    public static Step next(Backup backup, Optional<Cluster> cluster) {
        BackupStatus status = backup.getStatus();
        if (status != null && status.getPhase() != null && status.getPhase().finished()) {
            return new Finished();
        }
        if (cluster.isEmpty()) {
            return new Fail(CLUSTER_NOT_FOUND, "Cluster " + backup.getSpec().getCluster() + " does not exist in namespace "
                    + backup.getMetadata().getNamespace() + ": name an existing Cluster in spec.cluster (create a new Backup)");
        }
        if (status == null || status.getPhase() != BackupPhase.Running) {
            boolean ready = DesiredStatus.condition(cluster.get().getStatus(), DesiredStatus.READY)
                    .map(c -> "True".equals(c.getStatus())).orElse(false);
            if (!ready) {
                return new Wait("Cluster " + backup.getSpec().getCluster() + " is not Ready: the backup starts once every member is");
            }
            return new Start(snapshotTag(backup), members(cluster.get()));
        }
        List<String> notAsked = new ArrayList<>();
        List<String> asked = new ArrayList<>();
        for (MemberBackupStatus member : status.getMembers()) {
            (OperationState.NOT_STARTED.name().equals(member.getState()) ? notAsked : asked).add(member.getMember());
        }
        return new Follow(notAsked, asked);
    }

    /** Every member the Cluster's spec has, in rack order. */
    public static List<String> members(Cluster cluster) {
        List<String> members = new ArrayList<>();
        String datacenter = cluster.getSpec().getDatacenter().getName();
        for (RackSpec rack : cluster.getSpec().getDatacenter().getRacks()) {
            int count = rack.getMembers() == null ? 0 : rack.getMembers();
            for (int ordinal = 0; ordinal < count; ordinal++) {
                members.add(Names.member(cluster.getMetadata().getName(), datacenter, rack.getName(), ordinal));
            }
        }
        return members;
    }

    /** One tag for every member's snapshot, unique to this Backup object (a Backup recreated under its name gets another). */
    public static String snapshotTag(Backup backup) {
        String uid = backup.getMetadata().getUid();
        return "backup-" + backup.getMetadata().getName() + (uid == null ? "" : "-" + uid.substring(0, Math.min(8, uid.length())));
    }

    public static String manifestKey(Backup backup, String member) {
        return StoreLayout.manifestKey(StoreLayout.keyPrefix(backup.getSpec().getTarget().getS3()),
                backup.getMetadata().getNamespace(), backup.getSpec().getCluster(), backup.getMetadata().getName(), member);
    }

    public static String manifestLocation(Backup backup) {
        return "s3://" + backup.getSpec().getTarget().getS3().getBucket() + "/"
                + StoreLayout.manifestsOf(StoreLayout.keyPrefix(backup.getSpec().getTarget().getS3()),
                backup.getMetadata().getNamespace(), backup.getSpec().getCluster(), backup.getMetadata().getName());
    }

    /** The status recorded before any member is asked: Running, the tag, every member NOT_STARTED. */
    public static BackupStatus started(Backup backup, Start start, Instant now) {
        BackupStatus status = new BackupStatus();
        status.setPhase(BackupPhase.Running);
        status.setStartTime(now.toString());
        status.setConditions(List.of());
        status.setSnapshotTag(start.snapshotTag());
        status.setManifestLocation(manifestLocation(backup));
        for (String name : start.members()) {
            MemberBackupStatus member = new MemberBackupStatus();
            member.setMember(name);
            member.setState(OperationState.NOT_STARTED.name());
            status.getMembers().add(member);
        }
        return status;
    }

    /** Pending, saying what the Backup waits for. */
    public static BackupStatus pending(BackupStatus current, String reason, Instant now) {
        BackupStatus status = copy(current);
        status.setPhase(BackupPhase.Pending);
        status.setConditions(List.of(new ConditionBuilder().withType(PENDING).withStatus("True").withReason("ClusterNotReady")
                .withMessage(reason).withLastTransitionTime(now.toString()).build()));
        return status;
    }

    public static BackupStatus failed(BackupStatus current, String reason, String message, Instant now) {
        BackupStatus status = copy(current);
        status.setPhase(BackupPhase.Failed);
        status.setEndTime(now.toString());
        status.setConditions(List.of(condition(reason, message, now)));
        return status;
    }

    /** The status the members' answers add up to; members without an answer keep what was recorded. */
    public static BackupStatus progress(BackupStatus current, Map<String, MemberAnswer<BackupReport>> answers, Instant now) {
        BackupStatus status = copy(current);
        List<MemberBackupStatus> members = new ArrayList<>();
        for (MemberBackupStatus recorded : current.getMembers()) {
            MemberAnswer<BackupReport> answer = answers.get(recorded.getMember());
            MemberBackupStatus member = copy(recorded);
            members.add(member);
            if (answer == null) {
                continue;
            }
            if (answer.report() == null) {
                member.setMessage("its agent could not be asked: " + answer.unreachable());
                continue;
            }
            BackupReport report = answer.report();
            boolean wasAsked = !OperationState.NOT_STARTED.name().equals(recorded.getState());
            if (report.state() == OperationState.NOT_STARTED && wasAsked) {
                status.setMembers(members);
                return failed(status, RUN_LOST, "the agent of member " + recorded.getMember() + " no longer knows this"
                        + " backup's run (it restarted during the upload), so the member's files are not all stored;"
                        + " create a new Backup", now);
            }
            member.setState(report.state().name());
            member.setFiles(report.files());
            member.setBytes(report.bytes());
            member.setBytesUploaded(report.bytesUploaded());
            member.setManifest(report.manifestKey());
            member.setMessage(report.message());
            if (report.state() == OperationState.FAILED) {
                status.setMembers(members);
                return failed(status, MEMBER_FAILED, "member " + recorded.getMember() + ": " + report.message(), now);
            }
        }
        status.setMembers(members);
        boolean allDone = !members.isEmpty() && members.stream().allMatch(m ->
                OperationState.DONE.name().equals(m.getState()) && m.getManifest() != null);
        status.setFiles(members.stream().mapToInt(m -> m.getFiles() == null ? 0 : m.getFiles()).sum());
        status.setBytesUploaded(members.stream().mapToLong(m -> m.getBytesUploaded() == null ? 0 : m.getBytesUploaded()).sum());
        status.setBytesReferenced(members.stream().mapToLong(m -> m.getBytes() == null ? 0 : m.getBytes()).sum());
        if (allDone) {
            status.setPhase(BackupPhase.Completed);
            status.setEndTime(now.toString());
        }
        return status;
    }

    private static Condition condition(String reason, String message, Instant now) {
        return new ConditionBuilder().withType(FAILED).withStatus("True").withReason(reason).withMessage(message)
                .withLastTransitionTime(now.toString()).build();
    }

    private static BackupStatus copy(BackupStatus from) {
        BackupStatus status = new BackupStatus();
        if (from == null) {
            return status;
        }
        status.setPhase(from.getPhase());
        status.setStartTime(from.getStartTime());
        status.setEndTime(from.getEndTime());
        status.setSnapshotTag(from.getSnapshotTag());
        status.setMembers(from.getMembers().stream().map(BackupPlan::copy).toList());
        status.setFiles(from.getFiles());
        status.setBytesUploaded(from.getBytesUploaded());
        status.setBytesReferenced(from.getBytesReferenced());
        status.setManifestLocation(from.getManifestLocation());
        status.setConditions(new ArrayList<>(from.getConditions()));
        return status;
    }

    private static MemberBackupStatus copy(MemberBackupStatus from) {
        MemberBackupStatus member = new MemberBackupStatus();
        member.setMember(from.getMember());
        member.setState(from.getState());
        member.setFiles(from.getFiles());
        member.setBytes(from.getBytes());
        member.setBytesUploaded(from.getBytesUploaded());
        member.setManifest(from.getManifest());
        member.setMessage(from.getMessage());
        return member;
    }
}
