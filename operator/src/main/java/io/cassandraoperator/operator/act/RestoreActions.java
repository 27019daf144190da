package io.cassandraoperator.operator.act;

import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.api.agent.ObjectStoreAccess;
import io.cassandraoperator.api.agent.RestoreReport;
import io.cassandraoperator.api.agent.RestoreRequest;
import io.cassandraoperator.api.backup.Backup;
import io.cassandraoperator.api.backup.Restore;
import io.cassandraoperator.api.backup.RestoreStatus;
import io.cassandraoperator.operator.OperatorSettings;
import io.cassandraoperator.operator.observe.ObservedBackup;
import io.cassandraoperator.operator.plan.MemberAnswer;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/** The writes of a Restore's round: its status, the calls to the members' agents (all at once) and its Events. */
public final class RestoreActions {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreActions.class);

    private final Restore restore;
    private final Backup backup;
    private final KubernetesClient client;
    private final AgentClient agents;
    private final MemberAgentCalls agentCalls;
    private final ClusterEvents events;

    /** @param backup the Backup restored from (null when there is none; then only the status and Events are written) */
    public RestoreActions(Restore restore, Backup backup, ObservedBackup observed, KubernetesClient client,
                          OperatorSettings settings, AgentClient agents, ExecutorService calls, Set<String> recordedEvents) {
        this.restore = restore;
        this.backup = backup;
        this.client = client;
        this.agents = agents;
        this.agentCalls = new MemberAgentCalls(observed, settings, backup == null ? null : backup.getSpec().getCluster(), calls);
        this.events = new ClusterEvents(client, recordedEvents);
    }

    /** The Backup's store, with its credentials read live. */
    public StoreCredentials credentials() {
        return StoreCredentials.read(client, restore.getMetadata().getNamespace(), backup.getSpec().getTarget().getS3());
    }

    /** As {@link BackupActions#writeStatus}: at the version this round read. */
    public void writeStatus(RestoreStatus status) {
        restore.setStatus(status);
        Restore written = client.resource(restore).updateStatus();
        restore.getMetadata().setResourceVersion(written.getMetadata().getResourceVersion());
    }

    /** Asks these members (each with its manifest key) at once to load the Restore's tables. */
    public Map<String, MemberAnswer<RestoreReport>> start(Map<String, String> manifests, ObjectStoreAccess access) {
        return agentCalls.onEach(List.copyOf(manifests.keySet()), (uri, token, member, name) -> {
            LOG.info("Restore {}: asking the agent of {} at {} to import {} from {}", qualifiedName(), name, uri,
                    restore.getSpec().getTables(), manifests.get(name));
            return agents.startRestore(uri, token, member, new RestoreRequest(restore.getMetadata().getUid(), access,
                    manifests.get(name), restore.getSpec().getTables()));
        });
    }

    public Map<String, MemberAnswer<RestoreReport>> ask(List<String> members) {
        return agentCalls.onEach(members, (uri, token, member, name) -> agents.getRestore(uri, token, member, restore.getMetadata().getUid()));
    }

    public void event(EventReason reason, String message) {
        LOG.info("Restore {}: {}: {}", qualifiedName(), reason, message);
        events.record(restore, reason, reason.name(), message);
    }

    private String qualifiedName() {
        return restore.getMetadata().getNamespace() + "/" + restore.getMetadata().getName();
    }
}
