package io.cassandraoperator.operator.act;

import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.operator.model.MemberService;
import io.cassandraoperator.operator.model.MembersConfigMap;
import io.cassandraoperator.operator.model.RackStatefulSet;
import io.cassandraoperator.operator.plan.ScaleStep;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Raises a rack's replicas by one, once the new member's sticky address is allocated (its Service's ClusterIP) and
 * published in the members ConfigMap as the server holds it: the member's agent reads its address from there when it
 * starts, and a member started without it could not join under its own address.
 */
final class AddMemberStep {
    private static final Logger LOG = LoggerFactory.getLogger(AddMemberStep.class);

    private final StepContext context;
    private final CleanupStep cleanup;

    AddMemberStep(StepContext context, CleanupStep cleanup) {
        this.context = context;
        this.cleanup = cleanup;
    }

    /**
     * @param services      the member Services as written this round, by member name
     * @param membersConfig the members ConfigMap's data as it now is on the server
     */
    StepOutcome run(ScaleStep.AddMember add, Map<String, Service> services, Map<String, String> membersConfig) {
        String ip = MemberService.clusterIp(services.get(add.member()));
        if (ip == null) {
            return waiting("waiting for the ClusterIP of member Service " + add.member() + " before starting the member", add);
        }
        if (!ip.equals(membersConfig.get(add.member()))) {
            return waiting("waiting for the address of " + add.member() + " in ConfigMap " + MembersConfigMap.name(context.cluster()), add);
        }
        StatefulSet statefulSet = context.observed().statefulSets().get(RackStatefulSet.name(context.cluster(), add.rack()));
        if (statefulSet == null) {
            return waiting("waiting for StatefulSet " + RackStatefulSet.name(context.cluster(), add.rack()), add);
        }
        if (!Boolean.FALSE.equals(context.cluster().getSpec().getCleanupAfterScaleOut())) {
            // Recorded before the member starts: whatever happens next, the members it takes ranges from owe a cleanup.
            cleanup.oweAll(CleanupStep.runId(context.cluster(), add.member()), services);
        }
        LOG.info("Cluster {}: every member is ready and rack {} is furthest below its count; starting member {} at {}",
                context.clusterName(), add.rack(), add.member(), ip);
        // Before the write: a round repeated after a stop decides the same member, whose Service names the Event.
        context.events().record(context.cluster(), EventReason.MemberAdded, services.get(add.member()).getMetadata().getUid(),
                "starting member " + add.member() + " of rack " + add.rack() + " at address " + ip);
        context.writer().update(new StatefulSetBuilder(statefulSet).editSpec().withReplicas(add.ordinal() + 1).endSpec().build());
        return new StepOutcome(null, false, add);
    }

    private static StepOutcome waiting(String message, ScaleStep.AddMember add) {
        return new StepOutcome(message, false, add);
    }
}
