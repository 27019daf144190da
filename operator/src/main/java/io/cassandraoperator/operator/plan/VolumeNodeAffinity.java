package io.cassandraoperator.operator.plan;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PersistentVolume;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A PersistentVolume's required node affinity, evaluated as the scheduler evaluates it: terms ORed, the requirements of a
 * term ANDed, over the Node's labels ({@code matchExpressions}) and its name ({@code matchFields} on
 * {@code metadata.name}). A Node's name is not its {@code kubernetes.io/hostname} label: clouds and kubelets set them
 * differently, so a volume is matched against the labels, never the name.
 * <p>
 * Only a volume pinned to hosts can be orphaned by a missing Node: every term names its hosts (an {@code In} on
 * {@link #HOSTNAME_KEY} or on {@code metadata.name}). A volume pinned only to a zone or a region is a network disk
 * whose data outlives every Node of its zone; a new Node there mounts it again, so replacing its member would throw a
 * good copy away. A term the matcher does not fully understand (an unknown operator, a non-numeric Gt/Lt value, an
 * unknown field) makes the whole volume unjudged: doubt never counts as evidence of loss.
 */
public final class VolumeNodeAffinity {
    /** The node label local volumes are pinned with. */
    public static final String HOSTNAME_KEY = "kubernetes.io/hostname";
    static final String NAME_FIELD = "metadata.name";
    private static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt");

    private VolumeNodeAffinity() {
    }

    /** The volume's required node selector when it pins the volume to hosts and every term can be evaluated. */
    public static Optional<NodeSelector> hostPinning(PersistentVolume volume) {
        if (volume.getSpec() == null || volume.getSpec().getNodeAffinity() == null) {
            return Optional.empty();
        }
        NodeSelector required = volume.getSpec().getNodeAffinity().getRequired();
        if (required == null || required.getNodeSelectorTerms() == null || required.getNodeSelectorTerms().isEmpty()) {
            return Optional.empty();
        }
        boolean judged = required.getNodeSelectorTerms().stream().allMatch(t -> understood(t) && pinsHosts(t));
        return judged ? Optional.of(required) : Optional.empty();
    }

    /** Whether a Node exists that the volume could be mounted on: the orphaned volume is the one for which this is false. */
    public static boolean anySatisfies(NodeSelector selector, Collection<Node> nodes) {
        return nodes.stream().anyMatch(node -> satisfies(selector, node));
    }

    /** The scheduler's rule: some term whose every requirement the Node meets; an empty term matches no Node. */
    public static boolean satisfies(NodeSelector selector, Node node) {
        Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
        String name = node.getMetadata().getName();
        return selector.getNodeSelectorTerms().stream().anyMatch(term -> !empty(term)
                && requirements(term.getMatchExpressions()).stream().allMatch(r -> meets(r, labels.get(r.getKey())))
                && requirements(term.getMatchFields()).stream().allMatch(r -> meets(r, name)));
    }

    /** The selector in a user's words, for conditions and Events: {@code kubernetes.io/hostname In [host-1]}. */
    public static String describe(NodeSelector selector) {
        return selector.getNodeSelectorTerms().stream().map(term -> {
            List<String> parts = new java.util.ArrayList<>();
            requirements(term.getMatchExpressions()).forEach(r -> parts.add(describe(r)));
            requirements(term.getMatchFields()).forEach(r -> parts.add(describe(r)));
            return String.join(" and ", parts);
        }).collect(Collectors.joining(" or "));
    }

    private static String describe(NodeSelectorRequirement r) {
        return r.getKey() + " " + r.getOperator() + (r.getValues() == null || r.getValues().isEmpty() ? "" : " " + r.getValues());
    }

    private static boolean meets(NodeSelectorRequirement r, String value) {
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        return switch (r.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            case "Gt" -> value != null && integer(value).map(v -> v > Long.parseLong(values.get(0))).orElse(false);
            case "Lt" -> value != null && integer(value).map(v -> v < Long.parseLong(values.get(0))).orElse(false);
            default -> throw new IllegalArgumentException("unknown node selector operator " + r.getOperator());
        };
    }

    private static boolean understood(NodeSelectorTerm term) {
        return requirements(term.getMatchExpressions()).stream().allMatch(VolumeNodeAffinity::understood)
                && requirements(term.getMatchFields()).stream().allMatch(r -> NAME_FIELD.equals(r.getKey()) && understood(r));
    }

    private static boolean understood(NodeSelectorRequirement r) {
        if (r.getKey() == null || r.getOperator() == null || !OPERATORS.contains(r.getOperator())) {
            return false;
        }
        if ("Gt".equals(r.getOperator()) || "Lt".equals(r.getOperator())) {
            return r.getValues() != null && r.getValues().size() == 1 && integer(r.getValues().get(0)).isPresent();
        }
        return true;
    }

    /** A term names its hosts when it requires the hostname label or the Node's name to be one of a list. */
    private static boolean pinsHosts(NodeSelectorTerm term) {
        return requirements(term.getMatchExpressions()).stream().anyMatch(r -> HOSTNAME_KEY.equals(r.getKey()) && "In".equals(r.getOperator()))
                || requirements(term.getMatchFields()).stream().anyMatch(r -> NAME_FIELD.equals(r.getKey()) && "In".equals(r.getOperator()));
    }

    private static boolean empty(NodeSelectorTerm term) {
        return requirements(term.getMatchExpressions()).isEmpty() && requirements(term.getMatchFields()).isEmpty();
    }

    private static List<NodeSelectorRequirement> requirements(List<NodeSelectorRequirement> list) {
        return list == null ? List.of() : list;
    }

    private static Optional<Long> integer(String text) {
        try {
            return Optional.of(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
