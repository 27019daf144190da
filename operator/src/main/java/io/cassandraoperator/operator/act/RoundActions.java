package io.cassandraoperator.operator.act;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.agent.NodeStatus;
import io.cassandraoperator.operator.OperatorSettings;
import io.cassandraoperator.operator.observe.MemberRecords;
import io.cassandraoperator.operator.observe.ObservedCluster;
import io.cassandraoperator.operator.plan.MemberLoss;
import io.cassandraoperator.operator.plan.Refusal;
import io.cassandraoperator.operator.plan.ScaleStep;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Everything one reconcile of one Cluster may write, and nothing else: the only door from a decision to the world. */
public final class RoundActions {
    private static final Logger LOG = LoggerFactory.getLogger(RoundActions.class);

    private final Cluster cluster;
    private final ObservedCluster observed;
    private final ChildWriter writer;
    private final ClusterEvents events;
    private final AgentOperation agents;
    private final LiveReads live;
    private final ClusterChildren children;
    private final ClusterDeletion deletion;

    /** @param recordedEvents the names of the Events this process recorded or found, shared by every round */
    public RoundActions(Cluster cluster, ObservedCluster observed, KubernetesClient client, OperatorSettings settings, AgentClient agent,
                        Set<String> recordedEvents) {
        this.cluster = cluster;
        this.observed = observed;
        this.writer = new ChildWriter(client, cluster);
        this.events = new ClusterEvents(client, recordedEvents);
        this.agents = new AgentOperation(cluster, observed, settings, agent);
        this.live = new LiveReads(client, cluster.getMetadata().getNamespace());
        this.children = new ClusterChildren(cluster, observed, writer, events);
        this.deletion = new ClusterDeletion(cluster, client, writer, events, live);
    }

    /** The finalizer and the deletes of a Cluster deleted with whenDeleted: Delete. */
    public ClusterDeletion deletion() {
        return deletion;
    }

    /** The Cluster's children: Secrets, Services, disruption budget, rack StatefulSets, members ConfigMap. */
    public ClusterChildren children() {
        return children;
    }

    /** Records the node absences the caches show once live reads confirm them, and removes those that ended. */
    public void recordNodeAbsences(MemberLoss.Assessment assessment) {
        new NodeAbsenceRecords(cluster, observed, writer, events, live).apply(assessment);
    }

    /**
     * Takes the membership step the plan decided.
     *
     * @param records       the member records the plan decided from
     * @param services      the member Services as written this round
     * @param membersConfig the members ConfigMap's data as it now is
     */
    public StepOutcome take(ScaleStep step, MemberRecords records, Map<String, Service> services, Map<String, String> membersConfig) {
        StepContext context = new StepContext(cluster, observed, records, writer, events, agents);
        return step.accept(new MembershipSteps(context, live, services, membersConfig));
    }

    /**
     * How each of these members sees the ring, as its agent says (a member whose agent does not answer is left out:
     * the rolls treat it as not seeing anyone UP).
     */
    public Map<String, NodeStatus> gossipViews(List<String> members) {
        Map<String, NodeStatus> views = new LinkedHashMap<>();
        for (String member : members) {
            AgentOperation.NodeAnswer answer = agents.node(member);
            if (answer.status() != null) {
                views.put(member, answer.status());
            } else {
                LOG.debug("Cluster {}: no ring view from {}: {}", cluster.getMetadata().getName(), member, answer.silence());
            }
        }
        return views;
    }

    /** Says once, in a Warning Event and the log, that the spec is refused and nothing is changed. */
    public void reportRefusal(Refusal refusal) {
        LOG.warn("Cluster {}/{}: refusing the spec, changing nothing: {}", cluster.getMetadata().getNamespace(),
                cluster.getMetadata().getName(), refusal.message());
        events.record(cluster, refusal.reason(), "refused/generation-" + cluster.getMetadata().getGeneration(), refusal.message());
    }
}
