package io.cassandraoperator.operator.act;

import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.api.agent.ObjectStoreAccess;
import io.cassandraoperator.api.agent.RestoreReport;
import io.cassandraoperator.api.agent.RestoreRequest;
import io.cassandraoperator.api.backup.Backup;
import io.cassandraoperator.api.backup.Restore;
import io.cassandraoperator.api.backup.RestoreStatus;
import io.cassandraoperator.operator.OperatorSettings;
import io.cassandraoperator.operator.model.AgentTokenSecret;
import io.cassandraoperator.operator.observe.ObservedBackup;
import io.cassandraoperator.operator.plan.RestorePlan.MemberAnswer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/** The writes of a Restore's round: its status, the calls to the members' agents (all at once) and its Events. */
public final class RestoreActions {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreActions.class);

    private final Restore restore;
    private final Backup backup;
    private final ObservedBackup observed;
    private final KubernetesClient client;
    private final OperatorSettings settings;
    private final AgentClient agents;
    private final ExecutorService calls;
    private final ClusterEvents events;

    /** @param backup the Backup restored from (null when there is none; then only the status and Events are written) */
    public RestoreActions(Restore restore, Backup backup, ObservedBackup observed, KubernetesClient client,
                          OperatorSettings settings, AgentClient agents, ExecutorService calls, Set<String> recordedEvents) {
        this.restore = restore;
        this.backup = backup;
        this.observed = observed;
        this.client = client;
        this.settings = settings;
        this.agents = agents;
        this.calls = calls;
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
    public Map<String, MemberAnswer> start(Map<String, String> manifests, ObjectStoreAccess access) {
        return onEach(List.copyOf(manifests.keySet()), (uri, token, member, name) -> {
            LOG.info("Restore {}: asking the agent of {} at {} to import {} from {}", qualifiedName(), name, uri,
                    restore.getSpec().getTables(), manifests.get(name));
            return agents.startRestore(uri, token, member, new RestoreRequest(restore.getMetadata().getUid(), access,
                    manifests.get(name), restore.getSpec().getTables()));
        });
    }

    public Map<String, MemberAnswer> ask(List<String> members) {
        return onEach(members, (uri, token, member, name) -> agents.getRestore(uri, token, member, restore.getMetadata().getUid()));
    }

    public void event(EventReason reason, String message) {
        LOG.info("Restore {}: {}: {}", qualifiedName(), reason, message);
        events.record(restore, reason, reason.name(), message);
    }

    @FunctionalInterface
    private interface AgentCall {
        RestoreReport call(URI agent, String token, String member, String name) throws IOException;
    }

    private Map<String, MemberAnswer> onEach(List<String> members, AgentCall call) {
        Map<String, CompletableFuture<MemberAnswer>> answers = new LinkedHashMap<>();
        for (String member : members) {
            answers.put(member, CompletableFuture.supplyAsync(() -> answer(member, call), calls));
        }
        Map<String, MemberAnswer> result = new LinkedHashMap<>();
        answers.forEach((member, answer) -> result.put(member, answer.join()));
        return result;
    }

    private MemberAnswer answer(String member, AgentCall call) {
        Pod pod = observed.pods().get(member);
        Optional<URI> uri = pod == null ? Optional.empty() : settings.agent(pod);
        if (uri.isEmpty() || observed.agentSecret().isEmpty()) {
            return new MemberAnswer(null, "no pod IP or agent token yet");
        }
        try {
            return new MemberAnswer(call.call(uri.get(), AgentTokenSecret.token(observed.agentSecret().get()),
                    backup.getSpec().getCluster() + "/" + member, member), null);
        } catch (IOException e) {
            return new MemberAnswer(null, e.getMessage());
        }
    }

    private String qualifiedName() {
        return restore.getMetadata().getNamespace() + "/" + restore.getMetadata().getName();
    }
}
