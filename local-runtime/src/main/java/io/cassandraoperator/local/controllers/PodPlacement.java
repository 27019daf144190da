package io.cassandraoperator.local.controllers;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.Volume;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The scheduler's decision for one pod, a pure function of the pod, the nodes, the other pods and the claims and
 * volumes: the Ready nodes that pass every filter (node selector, required node affinity, node affinity of the volumes
 * already bound to the pod's claims, required pod affinity and anti-affinity), the one with the fewest pods wins
 * (spreading), ties broken by name. Not modelled: taints and tolerations (the nodes have none), preferred terms and
 * topology spread constraints (spreading by pod count stands in for them).
 */
public final class PodPlacement {
    /** Either a node or why there is none, in the words of the Kubernetes scheduler. */
    public record Decision(Optional<String> node, String message) {
    }

    private PodPlacement() {
    }

    public static Decision decide(Pod pod, List<Node> nodes, List<Pod> pods, List<PersistentVolumeClaim> claims,
            List<PersistentVolume> volumes) {
        List<Node> candidates = nodes.stream().filter(PodPlacement::isReady).toList();
        if (candidates.isEmpty()) {
            return new Decision(Optional.empty(), "0/" + nodes.size() + " nodes are available: no node is Ready.");
        }
        List<String> reasons = new ArrayList<>();
        List<Node> feasible = new ArrayList<>();
        for (Node node : candidates) {
            String refusal = refusal(pod, node, nodes, pods, claims, volumes);
            if (refusal == null) {
                feasible.add(node);
            } else {
                reasons.add(refusal);
            }
        }
        if (feasible.isEmpty()) {
            Map<String, Long> counts = new java.util.TreeMap<>();
            reasons.forEach(r -> counts.merge(r, 1L, Long::sum));
            StringBuilder message = new StringBuilder("0/" + nodes.size() + " nodes are available:");
            counts.forEach((r, n) -> message.append(' ').append(n).append(" node(s) ").append(r).append(','));
            message.setCharAt(message.length() - 1, '.');
            return new Decision(Optional.empty(), message.toString());
        }
        Node chosen = feasible.stream()
                .min(Comparator.comparingLong((Node n) -> podsOn(n.getMetadata().getName(), pods))
                        .thenComparing(n -> n.getMetadata().getName()))
                .orElseThrow();
        return new Decision(Optional.of(chosen.getMetadata().getName()), "");
    }

    private static String refusal(Pod pod, Node node, List<Node> nodes, List<Pod> pods,
            List<PersistentVolumeClaim> claims, List<PersistentVolume> volumes) {
        Map<String, String> labels = labels(node);
        Map<String, String> nodeSelector = pod.getSpec().getNodeSelector();
        if (nodeSelector != null && !nodeSelector.entrySet().stream()
                .allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
            return "didn't match Pod's node affinity/selector";
        }
        var affinity = pod.getSpec().getAffinity();
        if (affinity != null && affinity.getNodeAffinity() != null
                && !matches(affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(), labels)) {
            return "didn't match Pod's node affinity/selector";
        }
        for (Volume volume : pod.getSpec().getVolumes() == null ? List.<Volume>of() : pod.getSpec().getVolumes()) {
            if (volume.getPersistentVolumeClaim() == null) {
                continue;
            }
            String claimName = volume.getPersistentVolumeClaim().getClaimName();
            Optional<PersistentVolumeClaim> claim = claims.stream()
                    .filter(c -> c.getMetadata().getName().equals(claimName)
                            && Objects.equals(c.getMetadata().getNamespace(), pod.getMetadata().getNamespace()))
                    .findFirst();
            if (claim.isEmpty()) {
                return "had persistentvolumeclaim \"" + claimName + "\" not found";
            }
            if (claim.get().getMetadata().getDeletionTimestamp() != null) {
                return "had persistentvolumeclaim \"" + claimName + "\" being deleted";
            }
            String volumeName = claim.get().getSpec().getVolumeName();
            if (volumeName != null && !volumeName.isEmpty()) {
                Optional<PersistentVolume> pv = volumes.stream()
                        .filter(v -> v.getMetadata().getName().equals(volumeName)).findFirst();
                if (pv.isPresent() && pv.get().getSpec().getNodeAffinity() != null
                        && !matches(pv.get().getSpec().getNodeAffinity().getRequired(), labels)) {
                    return "had volume node affinity conflict";
                }
            }
        }
        if (affinity != null && affinity.getPodAntiAffinity() != null) {
            for (PodAffinityTerm term : affinity.getPodAntiAffinity()
                    .getRequiredDuringSchedulingIgnoredDuringExecution()) {
                if (anyInSameTopology(pod, term, labels, nodes, pods)) {
                    return "didn't match pod anti-affinity rules";
                }
            }
        }
        if (affinity != null && affinity.getPodAffinity() != null) {
            for (PodAffinityTerm term : affinity.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()) {
                if (!anyInSameTopology(pod, term, labels, nodes, pods)) {
                    return "didn't match pod affinity rules";
                }
            }
        }
        return null;
    }

    /** Whether a pod the term selects runs in the same topology domain (e.g. host, zone) as the node. */
    private static boolean anyInSameTopology(Pod pod, PodAffinityTerm term, Map<String, String> nodeLabels,
            List<Node> nodes, List<Pod> pods) {
        String topologyValue = nodeLabels.get(term.getTopologyKey());
        if (topologyValue == null) {
            return false;
        }
        return pods.stream()
                .filter(other -> !Objects.equals(other.getMetadata().getUid(), pod.getMetadata().getUid()))
                .filter(other -> other.getSpec().getNodeName() != null)
                .filter(other -> term.getNamespaces() == null || term.getNamespaces().isEmpty()
                        ? Objects.equals(other.getMetadata().getNamespace(), pod.getMetadata().getNamespace())
                        : term.getNamespaces().contains(other.getMetadata().getNamespace()))
                .filter(other -> selects(term.getLabelSelector(), other.getMetadata().getLabels()))
                .anyMatch(other -> topologyValue.equals(nodeLabel(nodes, other.getSpec().getNodeName(),
                        term.getTopologyKey())));
    }

    static boolean matches(NodeSelector selector, Map<String, String> labels) {
        if (selector == null || selector.getNodeSelectorTerms() == null || selector.getNodeSelectorTerms().isEmpty()) {
            return true;
        }
        for (NodeSelectorTerm term : selector.getNodeSelectorTerms()) {
            boolean all = term.getMatchExpressions().stream().allMatch(r -> matches(r, labels));
            if (all) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(NodeSelectorRequirement r, Map<String, String> labels) {
        String value = labels.get(r.getKey());
        return switch (r.getOperator()) {
            case "In" -> value != null && r.getValues().contains(value);
            case "NotIn" -> value == null || !r.getValues().contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            case "Gt" -> value != null && Long.parseLong(value) > Long.parseLong(r.getValues().get(0));
            case "Lt" -> value != null && Long.parseLong(value) < Long.parseLong(r.getValues().get(0));
            default -> false;
        };
    }

    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> l = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null && !selector.getMatchLabels().entrySet().stream()
                .allMatch(e -> e.getValue().equals(l.get(e.getKey())))) {
            return false;
        }
        for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
            String value = l.get(r.getKey());
            boolean ok = switch (r.getOperator()) {
                case "In" -> value != null && r.getValues().contains(value);
                case "NotIn" -> value == null || !r.getValues().contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String nodeLabel(List<Node> nodes, String nodeName, String key) {
        return nodes.stream().filter(n -> n.getMetadata().getName().equals(nodeName)).findFirst()
                .map(n -> labels(n).get(key)).orElse(null);
    }

    private static long podsOn(String node, List<Pod> pods) {
        return pods.stream().filter(p -> node.equals(p.getSpec().getNodeName())).count();
    }

    private static Map<String, String> labels(Node node) {
        return node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    }

    static boolean isReady(Node node) {
        return node.getMetadata().getDeletionTimestamp() == null && node.getStatus() != null
                && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
