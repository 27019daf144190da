package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Contract.AgentExit;
import io.cassandraoperator.api.Contract.Labels;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class MemberLossTest {
    private static final Service SERVICE = new ServiceBuilder().withNewMetadata().withName("c-dc1-r1-0").addToLabels(Labels.RACK, "r1")
            .endMetadata().build();
    private static final PersistentVolumeClaim BOUND = new PersistentVolumeClaimBuilder().withNewMetadata().withName("data-c-dc1-r1-0")
            .endMetadata().withNewSpec().withVolumeName("pv-1").endSpec().build();

    private static PersistentVolume volume(String node, String phase) {
        return new PersistentVolumeBuilder().withNewMetadata().withName("pv-1").endMetadata()
                .withNewSpec().withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression()
                    .withKey("kubernetes.io/hostname").withOperator("In").withValues(node)
                .endMatchExpression().endNodeSelectorTerm().endRequired().endNodeAffinity().endSpec()
                .withNewStatus().withPhase(phase).endStatus().build();
    }

    @Test
    void aMemberOnAVolumeOfALiveNodeIsNotLost() {
        assertThat(MemberLoss.cause(SERVICE, null, List.of(BOUND), Map.of("pv-1", volume("n1", "Bound")), Set.of("n1"))).isEmpty();
    }

    @Test
    void anUnboundClaimLosesNothing() {
        PersistentVolumeClaim pending = new PersistentVolumeClaimBuilder(BOUND).editSpec().withVolumeName(null).endSpec().build();
        assertThat(MemberLoss.cause(SERVICE, null, List.of(pending), Map.of(), Set.of("n1"))).isEmpty();
    }

    @Test
    void aVolumeOnADeletedNodeIsLost() {
        assertThat(MemberLoss.cause(SERVICE, null, List.of(BOUND), Map.of("pv-1", volume("n1", "Bound")), Set.of("n2")))
                .hasValueSatisfying(cause -> assertThat(cause).contains("node n1").contains("pv-1"));
    }

    @Test
    void aMissingOrFailedVolumeIsLost() {
        assertThat(MemberLoss.cause(SERVICE, null, List.of(BOUND), Map.of(), Set.of("n1"))).hasValueSatisfying(c -> assertThat(c).contains("gone"));
        assertThat(MemberLoss.cause(SERVICE, null, List.of(BOUND), Map.of("pv-1", volume("n1", "Failed")), Set.of("n1")))
                .hasValueSatisfying(c -> assertThat(c).contains("failed"));
    }

    @Test
    void theLabelRequestsAReplacementOfAHealthyMember() {
        Service labelled = new ServiceBuilder(SERVICE).editMetadata().addToLabels(Labels.REPLACE, "").endMetadata().build();
        assertThat(MemberLoss.cause(labelled, null, List.of(BOUND), Map.of("pv-1", volume("n1", "Bound")), Set.of("n1")))
                .hasValueSatisfying(c -> assertThat(c).contains(Labels.REPLACE));
    }

    private static Pod pod(boolean ready, int lastExitCode) {
        return new PodBuilder().withNewMetadata().withName("c-dc1-r1-0").endMetadata().withNewStatus()
                .addNewContainerStatus().withName("cassandra").withReady(ready).withRestartCount(1)
                    .withNewLastState().withNewTerminated().withExitCode(lastExitCode).endTerminated().endLastState()
                .endContainerStatus().endStatus().build();
    }

    @Test
    void theAgentsLostVolumeExitCodeOnAContainerThatIsNotReadyMeansLost() {
        assertThat(MemberLoss.cause(SERVICE, pod(false, AgentExit.VOLUME_LOST), List.of(BOUND), Map.of("pv-1", volume("n1", "Bound")), Set.of("n1")))
                .hasValueSatisfying(c -> assertThat(c).contains("exit code " + AgentExit.VOLUME_LOST));
    }

    @Test
    void anotherCrashLoopOrAReadyContainerIsNotLost() {
        assertThat(MemberLoss.cause(SERVICE, pod(false, 3), List.of(BOUND), Map.of("pv-1", volume("n1", "Bound")), Set.of("n1"))).isEmpty();
        assertThat(MemberLoss.cause(SERVICE, pod(true, AgentExit.VOLUME_LOST), List.of(BOUND), Map.of("pv-1", volume("n1", "Bound")), Set.of("n1")))
                .isEmpty();
        Pod terminatedNow = new PodBuilder(pod(false, 0)).editStatus().editFirstContainerStatus().withNewState().withNewTerminated()
                .withExitCode(AgentExit.VOLUME_LOST).endTerminated().endState().endContainerStatus().endStatus().build();
        assertThat(MemberLoss.reportsLostVolume(terminatedNow)).isTrue();
    }
}
