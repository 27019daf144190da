package io.cassandraoperator.operator.act;

import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.api.agent.BackupReport;
import io.cassandraoperator.api.agent.BackupRequest;
import io.cassandraoperator.api.agent.ObjectStoreAccess;
import io.cassandraoperator.api.backup.Backup;
import io.cassandraoperator.api.backup.BackupSpec;
import io.cassandraoperator.api.backup.BackupStatus;
import io.cassandraoperator.api.backup.StoreLayout;
import io.cassandraoperator.operator.OperatorSettings;
import io.cassandraoperator.operator.observe.ObservedBackup;
import io.cassandraoperator.operator.plan.BackupPlan;
import io.cassandraoperator.operator.plan.MemberAnswer;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * The writes of a Backup's round: its status (written before the members are asked, and after each answer), the
 * calls to the members' agents (all members at once, so their snapshots are as close together as the calls), the
 * credentials read live from their Secret at the moment they are passed on, and the Backup's Events.
 */
public final class BackupActions {
    private static final Logger LOG = LoggerFactory.getLogger(BackupActions.class);

    private final Backup backup;
    private final KubernetesClient client;
    private final AgentClient agents;
    private final MemberAgentCalls agentCalls;
    private final ClusterEvents events;

    /** @param calls runs the calls to the members' agents side by side */
    public BackupActions(Backup backup, ObservedBackup observed, KubernetesClient client, OperatorSettings settings,
                         AgentClient agents, ExecutorService calls, Set<String> recordedEvents) {
        this.backup = backup;
        this.client = client;
        this.agents = agents;
        this.agentCalls = new MemberAgentCalls(observed, settings, backup.getSpec().getCluster(), calls);
        this.events = new ClusterEvents(client, recordedEvents);
    }

    /** The store access the credentials Secret gives, read live, or what is wrong with it. */
    public StoreCredentials credentials() {
        return StoreCredentials.read(client, backup.getMetadata().getNamespace(), backup.getSpec().getTarget().getS3());
    }

    /**
     * Writes the status at the resourceVersion this round read (a round that read a stale Backup gets a conflict and
     * starts over instead of starting a second run) and keeps it, with the new version, for the rest of the round.
     */
    public void writeStatus(BackupStatus status) {
        backup.setStatus(status);
        Backup written = client.resource(backup).updateStatus();
        backup.getMetadata().setResourceVersion(written.getMetadata().getResourceVersion());
    }

    /** Asks these members at once to start the run; each answer is its report or why it could not be asked. */
    public Map<String, MemberAnswer<BackupReport>> start(List<String> members, ObjectStoreAccess access) {
        BackupSpec spec = backup.getSpec();
        return agentCalls.onEach(members, (uri, token, member, name) -> {
            BackupRequest request = new BackupRequest(runId(), backup.getStatus().getSnapshotTag(), spec.getKeyspaces(),
                    access, StoreLayout.keyPrefix(spec.getTarget().getS3()), BackupPlan.manifestKey(backup, name),
                    spec.getBytesPerSecond());
            LOG.info("Backup {}: asking the agent of {} at {} to snapshot under {} and upload to {}", qualifiedName(),
                    name, uri, request.snapshotTag(), access.bucket());
            return agents.startBackup(uri, token, member, request);
        });
    }

    /** Asks these members for their reports. */
    public Map<String, MemberAnswer<BackupReport>> ask(List<String> members) {
        return agentCalls.onEach(members, (uri, token, member, name) -> agents.getBackup(uri, token, member, runId()));
    }

    public void event(EventReason reason, String message) {
        LOG.info("Backup {}: {}: {}", qualifiedName(), reason, message);
        events.record(backup, reason, reason.name(), message);
    }

    /** The run's id at every agent: the Backup's UID, so a Backup recreated under the same name is another run. */
    private String runId() {
        return backup.getMetadata().getUid();
    }

    private String qualifiedName() {
        return backup.getMetadata().getNamespace() + "/" + backup.getMetadata().getName();
    }
}
