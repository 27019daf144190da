package io.cassandraoperator.local.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PodStrategyTest {
    private final PodStrategy pods = new PodStrategy();

    private static ObjectNode json(Pod pod) {
        return Serialization.jsonMapper().valueToTree(pod);
    }

    private static PodBuilder pod() {
        return new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec().endSpec();
    }

    @Test
    void aNewPodIsPendingWhateverStatusItWasSentWith() {
        ObjectNode pod = json(pod().withNewStatus().withPhase("Running").withPodIP("127.0.1.9").endStatus().build());
        pods.prepareForCreate(pod);
        assertThat(pod.get("status")).isEqualTo(Serialization.jsonMapper().createObjectNode().put("phase", "Pending"));
    }

    @Test
    void aPodWithoutANodeOrFinishedGoesAtOnce() {
        assertThat(pods.deletionGraceSeconds(json(pod().build()), 60L)).isZero();
        ObjectNode finished = json(pod().editSpec().withNodeName("n").endSpec().withNewStatus().withPhase("Succeeded")
                .endStatus().build());
        assertThat(pods.deletionGraceSeconds(finished, null)).isZero();
        ObjectNode failed = json(pod().editSpec().withNodeName("n").endSpec().withNewStatus().withPhase("Failed")
                .endStatus().build());
        assertThat(pods.deletionGraceSeconds(failed, null)).isZero();
    }

    @Test
    void aBoundPodGetsTheRequestedGraceElseItsOwnElseThirtySeconds() {
        ObjectNode bound = json(pod().editSpec().withNodeName("n").endSpec().build());
        assertThat(pods.deletionGraceSeconds(bound, null)).isEqualTo(30);
        assertThat(pods.deletionGraceSeconds(bound, 5L)).isEqualTo(5);
        assertThat(pods.deletionGraceSeconds(bound, -1L)).isZero();
        ObjectNode own = json(pod().editSpec().withNodeName("n").withTerminationGracePeriodSeconds(90L).endSpec()
                .build());
        assertThat(pods.deletionGraceSeconds(own, null)).isEqualTo(90);
    }
}
