package io.cassandraoperator.local.controllers;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plays the kubelet for controller tests: a scheduled pod becomes Running and Ready (unless the test holds it back), a
 * terminating pod is deleted with grace 0 (unless the test holds it), as a kubelet does once the containers stopped.
 */
final class FakeKubelet extends ControlLoop {
    private final KubernetesClient client;
    private final ObjectCache cache;
    /** Pod names that stay not ready. */
    final Set<String> unready = ConcurrentHashMap.newKeySet();
    /** Pod names whose termination does not finish. */
    final Set<String> stuckTerminating = ConcurrentHashMap.newKeySet();
    /** Pod IPs to report, by pod name; others get one derived from the name. */
    final Map<String, String> podIps = new ConcurrentHashMap<>();

    FakeKubelet(KubernetesClient client, ObjectCache cache) {
        super("fake-kubelet", 200);
        this.client = client;
        this.cache = cache;
        cache.onChange(this::trigger);
    }

    @Override
    protected void reconcile() {
        for (Pod pod : cache.pods()) {
            String name = pod.getMetadata().getName();
            var resource = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(name);
            if (PodReadiness.isTerminating(pod)) {
                if (!stuckTerminating.contains(name)) {
                    resource.withGracePeriod(0).delete();
                }
            } else if (pod.getSpec().getNodeName() != null) {
                boolean ready = !unready.contains(name);
                String ip = podIps.getOrDefault(name, "127.0.1." + (100 + Math.floorMod(name.hashCode(), 100)));
                boolean current = PodReadiness.isRunningAndReady(pod) == ready
                        && ip.equals(pod.getStatus().getPodIP());
                if (!current) {
                    resource.subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                            "{\"status\":{\"phase\":\"Running\",\"podIP\":\"" + ip + "\",\"conditions\":["
                                    + "{\"type\":\"PodScheduled\",\"status\":\"True\"},"
                                    + "{\"type\":\"Ready\",\"status\":\"" + (ready ? "True" : "False") + "\"}]}}");
                }
            }
        }
    }
}
