package io.cassandraoperator.operator.act;

import io.cassandraoperator.operator.OperatorSettings;
import io.cassandraoperator.operator.model.AgentTokenSecret;
import io.cassandraoperator.operator.observe.ObservedBackup;
import io.cassandraoperator.operator.plan.MemberAnswer;
import io.fabric8.kubernetes.api.model.Pod;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * One call to the agents of several members of a Cluster, all at once (a backup's snapshots are then as close
 * together as the calls), each answer the agent's report or why it could not be asked.
 */
final class MemberAgentCalls {
    @FunctionalInterface
    interface Call<R> {
        /** @param member the member as the agent knows it, {@code <cluster>/<name>}; @param name its pod's name */
        R call(URI agent, String token, String member, String name) throws IOException;
    }

    private final ObservedBackup observed;
    private final OperatorSettings settings;
    private final String cluster;
    private final ExecutorService calls;

    MemberAgentCalls(ObservedBackup observed, OperatorSettings settings, String cluster, ExecutorService calls) {
        this.observed = observed;
        this.settings = settings;
        this.cluster = cluster;
        this.calls = calls;
    }

    <R> Map<String, MemberAnswer<R>> onEach(List<String> members, Call<R> call) {
        Map<String, CompletableFuture<MemberAnswer<R>>> answers = new LinkedHashMap<>();
        for (String member : members) {
            answers.put(member, CompletableFuture.supplyAsync(() -> answer(member, call), calls));
        }
        Map<String, MemberAnswer<R>> result = new LinkedHashMap<>();
        answers.forEach((member, answer) -> result.put(member, answer.join()));
        return result;
    }

    private <R> MemberAnswer<R> answer(String member, Call<R> call) {
        Pod pod = observed.pods().get(member);
        Optional<URI> uri = pod == null ? Optional.empty() : settings.agent(pod);
        if (uri.isEmpty() || observed.agentSecret().isEmpty()) {
            return MemberAnswer.unreachable("no pod IP or agent token yet");
        }
        try {
            return MemberAnswer.of(call.call(uri.get(), AgentTokenSecret.token(observed.agentSecret().get()), cluster + "/" + member, member));
        } catch (IOException e) {
            return MemberAnswer.unreachable(e.getMessage());
        }
    }
}
