package io.cassandraoperator.local.controllers;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The scheduler: binds each pending pod to a node ({@link PodPlacement}), or marks it {@code PodScheduled=False} with
 * reason {@code Unschedulable} and the scheduler's message, and tries again on every change.
 */
public final class PodScheduler extends ControlLoop {
    private static final Logger LOG = LoggerFactory.getLogger(PodScheduler.class);

    private final KubernetesClient client;
    private final ObjectCache cache;
    /** Bindings made but not yet seen in the cache, so that two pods in one run see each other. */
    private final Map<String, String> assumed = new HashMap<>();

    public PodScheduler(KubernetesClient client, ObjectCache cache) {
        super("scheduler", 1000);
        this.client = client;
        this.cache = cache;
        cache.onChange(this::trigger);
    }

    @Override
    protected void reconcile() {
        List<Pod> pods = new ArrayList<>();
        for (Pod p : cache.pods()) {
            String node = assumed.get(p.getMetadata().getUid());
            if (node != null && p.getSpec().getNodeName() == null) {
                p = Serialization.clone(p);
                p.getSpec().setNodeName(node);
            } else {
                assumed.remove(p.getMetadata().getUid());
            }
            pods.add(p);
        }
        for (Pod pod : pods) {
            if (pod.getSpec().getNodeName() != null || PodReadiness.isTerminating(pod)) {
                continue;
            }
            PodPlacement.Decision decision = PodPlacement.decide(pod, cache.nodes(), pods, cache.claims(),
                    cache.volumes());
            if (decision.node().isPresent()) {
                bind(pod, decision.node().get());
                pod.getSpec().setNodeName(decision.node().get());
            } else {
                markUnschedulable(pod, decision.message());
            }
        }
    }

    private void bind(Pod pod, String node) {
        LOG.info("scheduling pod {}/{} on {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), node);
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"nodeName\":\"" + node + "\"}}");
        assumed.put(pod.getMetadata().getUid(), node);
        setScheduledCondition(pod, new PodConditionBuilder().withType("PodScheduled").withStatus("True")
                .withLastTransitionTime(now()).build());
    }

    private void markUnschedulable(Pod pod, String message) {
        PodCondition current = condition(pod);
        if (current != null && "False".equals(current.getStatus()) && Objects.equals(message, current.getMessage())) {
            return;
        }
        LOG.info("pod {}/{} cannot be scheduled: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                message);
        setScheduledCondition(pod, new PodConditionBuilder().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage(message).withLastTransitionTime(now()).build());
    }

    private void setScheduledCondition(Pod pod, PodCondition condition) {
        List<PodCondition> conditions = new ArrayList<>();
        if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
            pod.getStatus().getConditions().stream().filter(c -> !"PodScheduled".equals(c.getType()))
                    .forEach(conditions::add);
        }
        conditions.add(condition);
        Map<String, Object> patch = Map.of("status", Map.of("conditions", conditions));
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
    }

    private static PodCondition condition(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getConditions() == null ? null
                : pod.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType()))
                .findFirst().orElse(null);
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
