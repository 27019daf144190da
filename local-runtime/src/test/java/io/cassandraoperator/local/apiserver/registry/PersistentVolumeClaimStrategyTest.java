package io.cassandraoperator.local.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PersistentVolumeClaimStrategyTest {

    @Test
    void aNewClaimIsPendingAndProtectedOnce() {
        ObjectNode claim = Serialization.jsonMapper().valueToTree(new PersistentVolumeClaimBuilder().withNewMetadata()
                .withName("data").withFinalizers("example.com/keep", "kubernetes.io/pvc-protection").endMetadata()
                .withNewStatus().withPhase("Bound").endStatus().build());
        new PersistentVolumeClaimStrategy().prepareForCreate(claim);
        assertThat(claim.at("/metadata/finalizers")).extracting(f -> f.asText())
                .containsExactly("example.com/keep", "kubernetes.io/pvc-protection");
        assertThat(claim.at("/status/phase").asText()).isEqualTo("Pending");

        ObjectNode bare = Serialization.jsonMapper().valueToTree(new PersistentVolumeClaimBuilder().withNewMetadata()
                .withName("bare").endMetadata().build());
        new PersistentVolumeClaimStrategy().prepareForCreate(bare);
        assertThat(bare.at("/metadata/finalizers")).extracting(f -> f.asText())
                .containsExactly("kubernetes.io/pvc-protection");
    }
}
