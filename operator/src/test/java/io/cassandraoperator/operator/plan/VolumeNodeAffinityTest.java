package io.cassandraoperator.operator.plan;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static io.cassandraoperator.operator.plan.VolumeNodeAffinity.HOSTNAME_KEY;
import static org.assertj.core.api.Assertions.assertThat;

class VolumeNodeAffinityTest {
    private static final String ZONE = "topology.kubernetes.io/zone";
    /** Named as a cloud names its Nodes; the hostname label is the short name, as the kubelet sets it there. */
    private static final Node HOST_1 = node("ip-10-0-0-1.ec2.internal", HOSTNAME_KEY, "ip-10-0-0-1", ZONE, "a", "disks", "4");

    private static Node node(String name, String... labels) {
        NodeBuilder node = new NodeBuilder().withNewMetadata().withName(name).endMetadata();
        for (int i = 0; i < labels.length; i += 2) {
            node.editMetadata().addToLabels(labels[i], labels[i + 1]).endMetadata();
        }
        return node.build();
    }

    private static NodeSelectorRequirement req(String key, String operator, String... values) {
        return new NodeSelectorRequirementBuilder().withKey(key).withOperator(operator).withValues(Arrays.asList(values)).build();
    }

    /** One term per array of requirements; matchFields when the key is metadata.name. */
    private static PersistentVolume volume(NodeSelectorRequirement[]... terms) {
        PersistentVolumeBuilder volume = new PersistentVolumeBuilder().withNewMetadata().withName("pv").endMetadata()
                .withNewSpec().withNewNodeAffinity().withNewRequired().endRequired().endNodeAffinity().endSpec();
        for (NodeSelectorRequirement[] term : terms) {
            NodeSelectorTermBuilder built = new NodeSelectorTermBuilder();
            for (NodeSelectorRequirement r : term) {
                if (VolumeNodeAffinity.NAME_FIELD.equals(r.getKey())) {
                    built.addToMatchFields(r);
                } else {
                    built.addToMatchExpressions(r);
                }
            }
            volume.editSpec().editNodeAffinity().editRequired().addToNodeSelectorTerms(built.build()).endRequired().endNodeAffinity().endSpec();
        }
        return volume.build();
    }

    private static NodeSelectorRequirement[] term(NodeSelectorRequirement... requirements) {
        return requirements;
    }

    private static boolean satisfied(PersistentVolume volume, Node node) {
        NodeSelector selector = VolumeNodeAffinity.hostPinning(volume).orElseThrow();
        return VolumeNodeAffinity.satisfies(selector, node);
    }

    @Test
    void theHostnameLabelIsMatchedNotTheNodeName() {
        assertThat(satisfied(volume(term(req(HOSTNAME_KEY, "In", "ip-10-0-0-1"))), HOST_1)).isTrue();
        assertThat(satisfied(volume(term(req(HOSTNAME_KEY, "In", "ip-10-0-0-1.ec2.internal"))), HOST_1))
                .as("the Node's name is not its hostname label").isFalse();
    }

    @Test
    void termsAreOredAndTheirRequirementsAnded() {
        NodeSelectorRequirement host = req(HOSTNAME_KEY, "In", "ip-10-0-0-1");
        assertThat(satisfied(volume(term(host, req(ZONE, "In", "b"))), HOST_1)).as("AND: the zone fails").isFalse();
        assertThat(satisfied(volume(term(host, req(ZONE, "In", "a"))), HOST_1)).isTrue();
        assertThat(satisfied(volume(term(req(HOSTNAME_KEY, "In", "other")), term(host)), HOST_1)).as("OR: the second term holds").isTrue();
        assertThat(satisfied(volume(term(req(HOSTNAME_KEY, "In", "other")), term(req(HOSTNAME_KEY, "In", "third"))), HOST_1)).isFalse();
    }

    @Test
    void everyOperatorAsTheSchedulerReadsIt() {
        NodeSelectorRequirement host = req(HOSTNAME_KEY, "In", "ip-10-0-0-1");
        assertThat(satisfied(volume(term(host, req(ZONE, "NotIn", "b", "c"))), HOST_1)).isTrue();
        assertThat(satisfied(volume(term(host, req(ZONE, "NotIn", "a"))), HOST_1)).isFalse();
        assertThat(satisfied(volume(term(host, req("missing", "NotIn", "x"))), HOST_1)).as("NotIn holds for an absent label").isTrue();
        assertThat(satisfied(volume(term(host, req("disks", "Exists"))), HOST_1)).isTrue();
        assertThat(satisfied(volume(term(host, req("missing", "Exists"))), HOST_1)).isFalse();
        assertThat(satisfied(volume(term(host, req("missing", "DoesNotExist"))), HOST_1)).isTrue();
        assertThat(satisfied(volume(term(host, req("disks", "DoesNotExist"))), HOST_1)).isFalse();
        assertThat(satisfied(volume(term(host, req("disks", "Gt", "3"))), HOST_1)).isTrue();
        assertThat(satisfied(volume(term(host, req("disks", "Gt", "4"))), HOST_1)).isFalse();
        assertThat(satisfied(volume(term(host, req("disks", "Lt", "5"))), HOST_1)).isTrue();
        assertThat(satisfied(volume(term(host, req("disks", "Lt", "4"))), HOST_1)).isFalse();
        assertThat(satisfied(volume(term(host, req("missing", "Gt", "1"))), HOST_1)).isFalse();
        assertThat(satisfied(volume(term(host, req(ZONE, "Gt", "1"))), HOST_1)).as("a label that is not a number is never greater").isFalse();
    }

    @Test
    void aNodeNameFieldPinsToAHostByName() {
        assertThat(satisfied(volume(term(req(VolumeNodeAffinity.NAME_FIELD, "In", "ip-10-0-0-1.ec2.internal"))), HOST_1)).isTrue();
        assertThat(satisfied(volume(term(req(VolumeNodeAffinity.NAME_FIELD, "In", "ip-10-0-0-1"))), HOST_1)).isFalse();
    }

    @Test
    void anyOfSeveralNodesMaySatisfyIt() {
        PersistentVolume volume = volume(term(req(HOSTNAME_KEY, "In", "ip-10-0-0-1")));
        NodeSelector selector = VolumeNodeAffinity.hostPinning(volume).orElseThrow();
        Node other = node("ip-10-0-0-2.ec2.internal", HOSTNAME_KEY, "ip-10-0-0-2");
        assertThat(VolumeNodeAffinity.anySatisfies(selector, List.of(other, HOST_1))).isTrue();
        assertThat(VolumeNodeAffinity.anySatisfies(selector, List.of(other))).isFalse();
        assertThat(VolumeNodeAffinity.anySatisfies(selector, List.of())).isFalse();
    }

    @Test
    void onlyAVolumePinnedToHostsInEveryTermCanBeOrphanedByAMissingNode() {
        assertThat(VolumeNodeAffinity.hostPinning(volume(term(req(ZONE, "In", "a"))))).as("a zonal disk outlives its Nodes").isEmpty();
        assertThat(VolumeNodeAffinity.hostPinning(volume(term(req(HOSTNAME_KEY, "In", "h1")), term(req(ZONE, "In", "a"))))).isEmpty();
        assertThat(VolumeNodeAffinity.hostPinning(volume(term(req(HOSTNAME_KEY, "NotIn", "h1"))))).isEmpty();
        assertThat(VolumeNodeAffinity.hostPinning(volume(term(req(HOSTNAME_KEY, "In", "h1"), req(ZONE, "In", "a"))))).isPresent();
        assertThat(VolumeNodeAffinity.hostPinning(new PersistentVolumeBuilder().withNewSpec().endSpec().build())).isEmpty();
        assertThat(VolumeNodeAffinity.hostPinning(volume())).as("no terms").isEmpty();
    }

    @Test
    void aTermItCannotReadLeavesTheVolumeUnjudged() {
        assertThat(VolumeNodeAffinity.hostPinning(volume(term(req(HOSTNAME_KEY, "In", "h1"), req("disks", "Near", "4"))))).isEmpty();
        assertThat(VolumeNodeAffinity.hostPinning(volume(term(req(HOSTNAME_KEY, "In", "h1"), req("disks", "Gt", "four"))))).isEmpty();
        assertThat(VolumeNodeAffinity.hostPinning(volume(term(req(HOSTNAME_KEY, "In", "h1"), req("disks", "Gt", "1", "2"))))).isEmpty();
    }

    @Test
    void itIsDescribedInTheUsersWords() {
        NodeSelector selector = VolumeNodeAffinity.hostPinning(volume(term(req(HOSTNAME_KEY, "In", "h1"), req(ZONE, "Exists")),
                term(req(HOSTNAME_KEY, "In", "h2")))).orElseThrow();
        assertThat(VolumeNodeAffinity.describe(selector))
                .isEqualTo("kubernetes.io/hostname In [h1] and topology.kubernetes.io/zone Exists or kubernetes.io/hostname In [h2]");
    }
}
