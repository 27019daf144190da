package io.cassandraoperator.local.controllers;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The simulated machines: Node objects {@code node-1..node-3} in zones a, b and c, Ready; and the failures a test or a
 * user injects. Each Node's {@code kubernetes.io/hostname} label is {@code host-N}, not its name: on many clouds the
 * two differ, and the local volumes are pinned by the label, so every test on this runtime shows that the operator
 * matches a volume's node affinity against labels. Users keep typing the Node names ({@code delete-node node-1}). A deleted Node takes its pods with it at once (the kubelet kills their processes when they are gone
 * from the API) and its disks: the node's directory is removed once none of its pods is left.
 */
public final class NodeLifecycle extends ControlLoop {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLifecycle.class);
    public static final List<String> NODES = List.of("node-1", "node-2", "node-3");
    public static final String ZONE_LABEL = "topology.kubernetes.io/zone";

    private final KubernetesClient client;
    private final ObjectCache cache;
    private final Path stateDir;

    public NodeLifecycle(KubernetesClient client, ObjectCache cache, Path stateDir) {
        super("node-lifecycle", 1000);
        this.client = client;
        this.cache = cache;
        this.stateDir = stateDir;
        cache.onChange(this::trigger);
    }

    /** Creates the nodes that do not exist (a new machine with empty disks) and marks every node Ready. */
    public void ensureNodes() {
        for (int i = 0; i < NODES.size(); i++) {
            String name = NODES.get(i);
            if (client.nodes().withName(name).get() == null) {
                LOG.info("creating node {}", name);
                client.nodes().resource(node(name, "zone-" + (char) ('a' + i))).create();
            }
            String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            client.nodes().withName(name).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\","
                            + "\"message\":\"simulated node is ready\",\"lastHeartbeatTime\":\"" + now
                            + "\",\"lastTransitionTime\":\"" + now + "\"}],"
                            + "\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"},"
                            + "{\"type\":\"Hostname\",\"address\":\"" + hostname(name) + "\"}],"
                            + "\"capacity\":{\"cpu\":\"2\",\"memory\":\"8Gi\",\"pods\":\"110\"},"
                            + "\"allocatable\":{\"cpu\":\"2\",\"memory\":\"8Gi\",\"pods\":\"110\"}}}");
        }
    }

    /** The hostname label of a simulated Node: {@code node-2} runs on {@code host-2}. */
    public static String hostname(String node) {
        return node.replaceFirst("^node-", "host-");
    }

    static Node node(String name, String zone) {
        return new NodeBuilder().withNewMetadata().withName(name)
                .addToLabels(LocalVolumeProvisioner.HOSTNAME_LABEL, hostname(name))
                .addToLabels(ZONE_LABEL, zone)
                .addToLabels("kubernetes.io/os", "linux")
                .endMetadata().build();
    }

    /** Failure injection: the machine is gone, with its pods and its disks. */
    public void deleteNode(String name) {
        LOG.info("deleting node {}: its pods and its volumes' data go with it", name);
        client.nodes().withName(name).delete();
        trigger();
    }

    /** Failure injection: the disk behind one PV is replaced by an empty one. */
    public void wipeDisk(String pvName) {
        PersistentVolume pv = client.persistentVolumes().withName(pvName).get();
        if (pv == null || pv.getSpec().getLocal() == null) {
            throw new IllegalArgumentException("no local PersistentVolume " + pvName);
        }
        Path directory = Path.of(pv.getSpec().getLocal().getPath());
        LOG.info("wiping the disk of {}: emptying {}", pvName, directory);
        try (var children = Files.list(directory)) {
            children.forEach(LocalVolumeProvisioner::deleteRecursively);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void reconcile() {
        Set<String> cached = cache.nodes().stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
        // The cache may lag behind the API: only a live read proves a node gone.
        Map<String, Boolean> gone = new HashMap<>();
        Predicate<String> isGone = node -> !cached.contains(node)
                && gone.computeIfAbsent(node, n -> client.nodes().withName(n).get() == null);
        Set<String> nodesWithPods = new HashSet<>();
        for (Pod pod : cache.pods()) {
            String node = pod.getSpec().getNodeName();
            if (node != null && isGone.test(node)) {
                nodesWithPods.add(node);
                LOG.info("node {} is gone: deleting its pod {}/{}", node, pod.getMetadata().getNamespace(),
                        pod.getMetadata().getName());
                client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                        .withGracePeriod(0).delete();
            }
        }
        for (String node : NODES) {
            Path directory = stateDir.resolve("nodes").resolve(node);
            if (Files.exists(directory) && !nodesWithPods.contains(node) && isGone.test(node)) {
                LOG.info("node {} is gone and none of its pods is left: removing its disks {}", node, directory);
                LocalVolumeProvisioner.deleteRecursively(directory);
            }
        }
    }
}
