package io.cassandraoperator.local.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StatefulSetStrategyTest {

    @Test
    void defaultsFillWhatIsLeftOutAndKeepWhatIsSet() {
        ObjectNode set = Serialization.jsonMapper().valueToTree(new StatefulSetBuilder().withNewMetadata()
                .withName("s").endMetadata().withNewSpec().withPodManagementPolicy("Parallel").endSpec().build());
        new StatefulSetStrategy().applyDefaults(set);
        assertThat(set.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(set.at("/spec/podManagementPolicy").asText()).isEqualTo("Parallel");
        assertThat(set.at("/spec/revisionHistoryLimit").asInt()).isEqualTo(10);
        assertThat(set.at("/spec/updateStrategy/type").asText()).isEqualTo("RollingUpdate");
        assertThat(set.at("/spec/updateStrategy/rollingUpdate/partition").asInt()).isZero();

        ObjectNode scaledToZero = Serialization.jsonMapper().valueToTree(new StatefulSetBuilder().withNewMetadata()
                .withName("z").endMetadata().withNewSpec().withReplicas(0).endSpec().build());
        new StatefulSetStrategy().applyDefaults(scaledToZero);
        assertThat(scaledToZero.at("/spec/replicas").asInt()).isZero();
    }
}
