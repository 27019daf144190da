package io.cassandraoperator.local.cli;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ManifestApplierTest {
    private static final ConfigMap DESIRED = new ConfigMapBuilder().withNewMetadata().withName("c").withNamespace("default")
            .addToLabels("app", "x").endMetadata().withData(Map.of("k", "v")).build();

    @Test
    void unchangedWhenEveryFieldOfTheFileHasItsValueWhateverTheServerAdded() {
        ConfigMap existing = new ConfigMapBuilder(DESIRED).editMetadata().withResourceVersion("7").withUid("u")
                .withCreationTimestamp("2026-01-01T00:00:00Z").addToAnnotations("added", "by-server").endMetadata()
                .build();

        assertThat(ManifestApplier.alreadyApplied(DESIRED, existing)).isTrue();
    }

    @Test
    void changedWhenAValueOrALabelDiffers() {
        assertThat(ManifestApplier.alreadyApplied(DESIRED, new ConfigMapBuilder(DESIRED)
                .withData(Map.of("k", "other")).build())).isFalse();
        assertThat(ManifestApplier.alreadyApplied(DESIRED, new ConfigMapBuilder(DESIRED).editMetadata()
                .withLabels(Map.of("app", "y")).endMetadata().build())).isFalse();
    }
}
