package io.cassandraoperator.operator;

import io.cassandraoperator.api.Contract.Labels;
import io.cassandraoperator.operator.plan.VolumeNodeAffinity;
import io.cassandraoperator.operator.plan.RollingPartition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the mock API server lacks and a cluster has: the Service IP allocator, the StatefulSet controller (OrderedReady
 * pods and their claims, deleting pods above replicas, recreating a missing claim under an existing pod, claims owned
 * by their StatefulSet when its retention policy says Delete), a local-PV provisioner (one PV per claim, pinned by its
 * {@code kubernetes.io/hostname} label to the node with the fewest volumes among {@link #NODES}; each Node's name
 * differs from that label, as on many clouds), the scheduler
 * (a pod whose volume's node is gone stays Pending), pod garbage collection (pods of a deleted node go) and a kubelet
 * (pod IPs 127.0.3.N, Ready when the test says) and the garbage collector (objects whose owners are gone). It also records every moment it sees a broken rule of the operator.
 */
final class FakeControllers implements AutoCloseable {
    private final KubernetesClient client;
    private final String namespace;
    private final FakeAgents agents;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger nextServiceIp = new AtomicInteger(1);
    private final AtomicInteger nextPodIp = new AtomicInteger(1);
    private final Map<String, String> podIps = new ConcurrentHashMap<>();
    private final Set<String> allowedReady = ConcurrentHashMap.newKeySet();
    final List<String> violations = new CopyOnWriteArrayList<>();
    volatile boolean autoReady = true;
    volatile boolean holdPodDeletion;
    /** While set, StatefulSet status stays where it is: a rollout that has not finished. */
    volatile boolean holdRollout;
    static final List<String> NODES = List.of("node-1", "node-2", "node-3", "node-4");
    /** Every claim this controller created, by name, in order (a replaced member's claim appears twice). */
    final Map<String, List<String>> claimUids = new ConcurrentHashMap<>();
    private final AtomicInteger nextVolume = new AtomicInteger(1);

    FakeControllers(KubernetesClient client, String namespace, FakeAgents agents) {
        this.client = client;
        this.namespace = namespace;
        this.agents = agents;
        NODES.forEach(this::addNode);
        loop.scheduleWithFixedDelay(this::round, 0, 50, TimeUnit.MILLISECONDS);
    }

    /** A Node, as a kubelet registers it: named {@code node-N}, its hostname label {@code host-N}. */
    void addNode(String node) {
        client.nodes().resource(new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName(node)
                .addToLabels(VolumeNodeAffinity.HOSTNAME_KEY, hostname(node)).endMetadata().build()).create();
    }

    static String hostname(String node) {
        return node.replace("node-", "host-");
    }

    /** The name of the Node a volume is pinned to, whether that Node exists or not. */
    static String nodeOf(io.fabric8.kubernetes.api.model.PersistentVolume volume) {
        String host = volume.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms().get(0).getMatchExpressions().get(0).getValues().get(0);
        return NODES.stream().filter(n -> hostname(n).equals(host)).findFirst().orElseThrow();
    }

    void markReady(String pod) {
        allowedReady.add(pod);
    }

    private void round() {
        try {
            allocateServiceIps();
            collectPodsOfDeletedNodes();
            collectGarbage();
            runStatefulSets();
        } catch (RuntimeException e) {
            // The next round sees the API again; a conflict with the operator's writes is normal.
        }
    }

    private void allocateServiceIps() {
        for (Service service : client.services().inNamespace(namespace).list().getItems()) {
            if ("ClusterIP".equals(service.getSpec().getType()) && service.getSpec().getClusterIP() == null) {
                String ip = "127.0.2." + nextServiceIp.getAndIncrement();
                client.services().inNamespace(namespace).withName(service.getMetadata().getName())
                        .edit(s -> { s.getSpec().setClusterIP(ip); s.getSpec().setClusterIPs(List.of(ip)); return s; });
            }
        }
    }

    private void runStatefulSets() throws RuntimeException {
        List<StatefulSet> sets = client.apps().statefulSets().inNamespace(namespace).list().getItems();
        Map<String, Pod> pods = new HashMap<>();
        client.pods().inNamespace(namespace).list().getItems().forEach(p -> pods.put(p.getMetadata().getName(), p));
        int replicas = 0;
        int ready = 0;
        for (StatefulSet set : sets) {
            int wanted = set.getSpec().getReplicas() == null ? 0 : set.getSpec().getReplicas();
            replicas += wanted;
            reportRolledOut(set, wanted);
            for (int ordinal = 0; ordinal < wanted; ordinal++) {
                String name = set.getMetadata().getName() + "-" + ordinal;
                Pod pod = pods.get(name);
                if (pod == null) {
                    checkMemberAddressRecorded(name);
                    createPod(set, name);
                    break;
                }
                ensureClaims(set, name);
                if (pod.getMetadata().getDeletionTimestamp() == null && "Pending".equals(pod.getStatus().getPhase())) {
                    schedule(pod);
                    break;
                }
                if (!ready(pod)) {
                    if (autoReady || allowedReady.contains(name)) {
                        client.pods().inNamespace(namespace).withName(name).editStatus(p -> {
                            p.getStatus().setConditions(List.of(condition(true)));
                            return p;
                        });
                    }
                    break; // OrderedReady: the next pod waits for this one
                }
            }
            for (int ordinal = 0; ordinal < wanted; ordinal++) {
                Pod pod = pods.get(set.getMetadata().getName() + "-" + ordinal);
                if (pod != null && ready(pod)) {
                    ready++;
                }
            }
            for (Pod pod : pods.values()) {
                String prefix = set.getMetadata().getName() + "-";
                String name = pod.getMetadata().getName();
                if (name.startsWith(prefix) && name.substring(prefix.length()).matches("\\d+")
                        && Integer.parseInt(name.substring(prefix.length())) >= wanted && !holdPodDeletion) {
                    client.pods().inNamespace(namespace).withName(name).delete();
                }
            }
        }
        if (replicas - ready > 1) {
            violations.add("replicas " + replicas + " but only " + ready + " ready members: more than one member joining");
        }
    }

    /**
     * Pods are not restarted here: the pods at and above the partition take the template's revision (named by its
     * contents, as the real controller's) as soon as it is seen, unless held; the current revision is the update
     * revision once the partition is 0.
     */
    private void reportRolledOut(StatefulSet set, int wanted) {
        Long generation = set.getMetadata().getGeneration();
        if (holdRollout || generation == null
                || (set.getStatus() != null && generation.equals(set.getStatus().getObservedGeneration()))) {
            return;
        }
        String revision = revision(set);
        int partition = Math.min(wanted, RollingPartition.partition(set));
        for (int ordinal = partition; ordinal < wanted; ordinal++) {
            String name = set.getMetadata().getName() + "-" + ordinal;
            if (client.pods().inNamespace(namespace).withName(name).get() != null) {
                client.pods().inNamespace(namespace).withName(name).edit(p -> {
                    p.getMetadata().getLabels().put(Labels.REVISION, revision);
                    return p;
                });
            }
        }
        String current = partition == 0 || set.getStatus() == null || set.getStatus().getCurrentRevision() == null
                ? revision : set.getStatus().getCurrentRevision();
        client.apps().statefulSets().inNamespace(namespace).withName(set.getMetadata().getName()).editStatus(s -> {
            s.setStatus(new io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder()
                    .withObservedGeneration(generation).withReplicas(wanted).withUpdatedReplicas(wanted - partition)
                    .withCurrentRevision(current).withUpdateRevision(revision).build());
            return s;
        });
    }

    /** As the real controller: a pod below the partition is made from the current revision, others from the update revision. */
    private static String revisionOfNewPod(StatefulSet set, String name) {
        if (set.getStatus() == null || set.getStatus().getUpdateRevision() == null) {
            return revision(set);
        }
        int ordinal = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
        return ordinal < RollingPartition.partition(set) && set.getStatus().getCurrentRevision() != null
                ? set.getStatus().getCurrentRevision() : set.getStatus().getUpdateRevision();
    }

    private static String revision(StatefulSet set) {
        return "rev-" + Integer.toHexString(set.getSpec().getTemplate().hashCode());
    }

    private void checkMemberAddressRecorded(String member) {
        Service service = client.services().inNamespace(namespace).withName(member).get();
        ConfigMap members = client.configMaps().inNamespace(namespace).list().getItems().stream()
                .filter(c -> c.getMetadata().getName().endsWith("-members")).findFirst().orElse(null);
        String ip = service == null ? null : service.getSpec().getClusterIP();
        if (ip == null || members == null || !ip.equals(members.getData().get(member))) {
            violations.add("pod " + member + " started before its Service ClusterIP was in the members ConfigMap");
        }
    }

    private void createPod(StatefulSet set, String name) {
        ensureClaims(set, name);
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace)
                    .withLabels(set.getSpec().getTemplate().getMetadata().getLabels()).addToLabels(Labels.POD_NAME, name)
                    .addToLabels(Labels.REVISION, revisionOfNewPod(set, name))
                    .addNewOwnerReference().withApiVersion("apps/v1").withKind("StatefulSet").withName(set.getMetadata().getName())
                        .withUid(set.getMetadata().getUid()).withController(true).endOwnerReference()
                .endMetadata()
                .withSpec(set.getSpec().getTemplate().getSpec())
                .withNewStatus().withPhase("Pending").withConditions(condition(false)).endStatus()
                .build();
        schedule(client.pods().inNamespace(namespace).resource(pod).create());
    }

    /** The claims of a member, created (and provisioned) when missing: the StatefulSet controller's job since 1.27. */
    private void ensureClaims(StatefulSet set, String member) {
        for (PersistentVolumeClaim template : set.getSpec().getVolumeClaimTemplates()) {
            String claim = template.getMetadata().getName() + "-" + member;
            if (client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get() == null) {
                String node = NODES.stream().filter(n -> client.nodes().withName(n).get() != null)
                        .min(java.util.Comparator.comparingLong(n -> client.persistentVolumes().list().getItems().stream()
                                .filter(v -> nodeOf(v).equals(n)).count()))
                        .orElseThrow();
                String volume = "local-pv-" + nextVolume.getAndIncrement();
                client.persistentVolumes().resource(new io.fabric8.kubernetes.api.model.PersistentVolumeBuilder()
                        .withNewMetadata().withName(volume).endMetadata()
                        .withNewSpec().withStorageClassName("local-storage").withNewLocal().withPath("/mnt/" + volume).endLocal()
                            .withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression()
                                .withKey(VolumeNodeAffinity.HOSTNAME_KEY).withOperator("In").withValues(hostname(node))
                            .endMatchExpression().endNodeSelectorTerm().endRequired().endNodeAffinity()
                        .endSpec().build()).create();
                PersistentVolumeClaimBuilder builder = new PersistentVolumeClaimBuilder(template)
                        .editMetadata().withName(claim).withNamespace(namespace).endMetadata()
                        .editSpec().withVolumeName(volume).endSpec();
                if (set.getSpec().getPersistentVolumeClaimRetentionPolicy() != null
                        && "Delete".equals(set.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted())) {
                    // As the StatefulSet controller does: the claim goes with its StatefulSet.
                    builder.editMetadata().addNewOwnerReference().withApiVersion("apps/v1").withKind("StatefulSet")
                            .withName(set.getMetadata().getName()).withUid(set.getMetadata().getUid()).endOwnerReference().endMetadata();
                }
                PersistentVolumeClaim created = client.persistentVolumeClaims().inNamespace(namespace).resource(builder.build()).create();
                claimUids.computeIfAbsent(member, m -> new CopyOnWriteArrayList<>()).add(created.getMetadata().getUid());
            }
        }
    }

    /** Binds a pending pod to the node of its volume, unless that node is gone (then it stays Pending, as in Kubernetes). */
    private void schedule(Pod pod) {
        String name = pod.getMetadata().getName();
        PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(namespace).list().getItems().stream()
                .filter(c -> c.getMetadata().getName().endsWith("-" + name)).findFirst().orElse(null);
        io.fabric8.kubernetes.api.model.PersistentVolume volume = claim == null ? null
                : client.persistentVolumes().withName(claim.getSpec().getVolumeName()).get();
        String node = volume == null ? null : nodeOf(volume);
        if (node == null || client.nodes().withName(node).get() == null || claim.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        String ip = podIps.computeIfAbsent(name, n -> "127.0.3." + nextPodIp.getAndIncrement());
        try {
            agents.serve(ip, name);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        client.pods().inNamespace(namespace).withName(name).edit(p -> {
            p.getSpec().setNodeName(node);
            return p;
        });
        client.pods().inNamespace(namespace).withName(name).editStatus(p -> {
            p.getStatus().setPhase("Running");
            p.getStatus().setPodIP(ip);
            return p;
        });
    }

    /**
     * The garbage collector, background propagation: an object whose every owner is gone (no Cluster or StatefulSet
     * with that UID) is deleted; pods only while {@link #holdPodDeletion} is off.
     */
    private void collectGarbage() {
        List<io.fabric8.kubernetes.api.model.HasMetadata> dependents = new java.util.ArrayList<>(
                client.apps().statefulSets().inNamespace(namespace).list().getItems());
        dependents.addAll(client.pods().inNamespace(namespace).list().getItems());
        dependents.addAll(client.services().inNamespace(namespace).list().getItems());
        dependents.addAll(client.configMaps().inNamespace(namespace).list().getItems());
        dependents.addAll(client.secrets().inNamespace(namespace).list().getItems());
        dependents.addAll(client.persistentVolumeClaims().inNamespace(namespace).list().getItems());
        dependents.addAll(client.policy().v1().podDisruptionBudget().inNamespace(namespace).list().getItems());
        // Owners listed after their dependents: an owner created after the dependents' list is never missed.
        Set<String> owners = new java.util.HashSet<>();
        client.resources(io.cassandraoperator.api.Cluster.class).inNamespace(namespace).list().getItems()
                .forEach(c -> owners.add(c.getMetadata().getUid()));
        client.apps().statefulSets().inNamespace(namespace).list().getItems().forEach(s -> owners.add(s.getMetadata().getUid()));
        for (io.fabric8.kubernetes.api.model.HasMetadata object : dependents) {
            List<io.fabric8.kubernetes.api.model.OwnerReference> refs = object.getMetadata().getOwnerReferences();
            // The hold is read at the delete: a round that began before a test set it must not delete a pod after.
            boolean held = object instanceof Pod && holdPodDeletion;
            if (!held && refs != null && !refs.isEmpty() && refs.stream().noneMatch(r -> owners.contains(r.getUid()))) {
                client.resource(object).delete();
            }
        }
    }

    /** Pod garbage collection: a pod bound to a Node that no longer exists is deleted. */
    private void collectPodsOfDeletedNodes() {
        for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
            String node = pod.getSpec().getNodeName();
            if (node != null && client.nodes().withName(node).get() == null) {
                client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).delete();
            }
        }
    }

    private static PodCondition condition(boolean ready) {
        return new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False").build();
    }

    static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    @Override
    public void close() throws InterruptedException {
        loop.shutdownNow();
        loop.awaitTermination(5, TimeUnit.SECONDS);
    }
}
