package io.cassandraoperator.local.controllers;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PodPlacementTest {
    private static final List<Node> NODES = List.of(node("node-1", "zone-a", true), node("node-2", "zone-b", true),
            node("node-3", "zone-c", true));

    @Test
    void spreadsOverTheNodeWithFewestPods() {
        Pod existing = pod("a").editSpec().withNodeName("node-1").endSpec().build();
        assertThat(PodPlacement.decide(pod("b").build(), NODES, List.of(existing), List.of(), List.of()).node())
                .contains("node-2");
    }

    @Test
    void honoursRequiredNodeAffinityAndNodeSelector() {
        Pod affine = pod("p").editSpec().withNewAffinity().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm()
                .addNewMatchExpression().withKey("topology.kubernetes.io/zone").withOperator("In")
                .withValues("zone-c").endMatchExpression().endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec().build();
        assertThat(PodPlacement.decide(affine, NODES, List.of(), List.of(), List.of()).node()).contains("node-3");

        Pod selected = pod("q").editSpec().addToNodeSelector("kubernetes.io/hostname", "node-2").endSpec().build();
        assertThat(PodPlacement.decide(selected, NODES, List.of(), List.of(), List.of()).node()).contains("node-2");

        Pod nowhere = pod("r").editSpec().addToNodeSelector("disk", "ssd").endSpec().build();
        PodPlacement.Decision decision = PodPlacement.decide(nowhere, NODES, List.of(), List.of(), List.of());
        assertThat(decision.node()).isEmpty();
        assertThat(decision.message()).isEqualTo("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.");
    }

    @Test
    void requiredPodAffinityFollowsTheSelectedPodsZoneAndAntiAffinityAvoidsIt() {
        Pod cache = pod("cache").editMetadata().addToLabels("app", "cache").endMetadata()
                .editSpec().withNodeName("node-2").endSpec().build();
        Pod near = pod("near").editSpec().withNewAffinity().withNewPodAffinity()
                .addNewRequiredDuringSchedulingIgnoredDuringExecution().withTopologyKey("topology.kubernetes.io/zone")
                .withNewLabelSelector().addToMatchLabels("app", "cache").endLabelSelector()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endPodAffinity().endAffinity().endSpec().build();
        assertThat(PodPlacement.decide(near, NODES, List.of(cache), List.of(), List.of()).node()).contains("node-2");
        assertThat(PodPlacement.decide(near, NODES, List.of(), List.of(), List.of()).message())
                .isEqualTo("0/3 nodes are available: 3 node(s) didn't match pod affinity rules.");

        Pod far = pod("far").editSpec().withNewAffinity().withNewPodAntiAffinity()
                .addNewRequiredDuringSchedulingIgnoredDuringExecution().withTopologyKey("kubernetes.io/hostname")
                .withNewLabelSelector().addToMatchLabels("app", "cache").endLabelSelector()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().endAffinity().endSpec().build();
        Pod other = pod("other").editSpec().withNodeName("node-1").endSpec().build();
        assertThat(PodPlacement.decide(far, NODES, List.of(cache, other), List.of(), List.of()).node())
                .as("node-2 has the cache; node-1 has more pods than node-3").contains("node-3");
    }

    @Test
    void skipsNodesThatAreNotReadyAndReportsAMissingClaim() {
        List<Node> oneReady = List.of(node("node-1", "zone-a", false), node("node-2", "zone-b", true));
        assertThat(PodPlacement.decide(pod("p").build(), oneReady, List.of(), List.of(), List.of()).node())
                .contains("node-2");

        Pod withClaim = pod("c").editSpec().addNewVolume().withName("data").withNewPersistentVolumeClaim()
                .withClaimName("missing").endPersistentVolumeClaim().endVolume().endSpec().build();
        assertThat(PodPlacement.decide(withClaim, NODES, List.of(), List.of(), List.of()).message())
                .contains("persistentvolumeclaim \"missing\" not found");
    }

    private static PodBuilder pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").withUid(name).endMetadata()
                .withNewSpec().addNewContainer().withName("c").endContainer().endSpec();
    }

    private static Node node(String name, String zone, boolean ready) {
        return new NodeBuilder().withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name)
                .addToLabels("topology.kubernetes.io/zone", zone).endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .endStatus().build();
    }
}
