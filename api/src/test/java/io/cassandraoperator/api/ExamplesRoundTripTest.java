package io.cassandraoperator.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExamplesRoundTripTest {
    static final List<Path> EXAMPLES = Examples.ALL;

    @ParameterizedTest
    @FieldSource("EXAMPLES")
    void exampleSurvivesJavaModelUnchanged(Path example) throws IOException {
        String yaml = Files.readString(example);

        Cluster cluster = Serialization.unmarshal(yaml, Cluster.class);
        JsonNode original = Serialization.yamlMapper().readTree(yaml);
        JsonNode roundTripped = Serialization.jsonMapper().valueToTree(cluster);

        assertContains(roundTripped, original, "");
        JsonNode second = Serialization.jsonMapper().valueToTree(Serialization.unmarshal(roundTripped.toString(), Cluster.class));
        assertThat(second)
                .as("a second round trip changes nothing").isEqualTo(roundTripped);
        assertThat(cluster.getSpec().getDatacenter().getRacks()).allSatisfy(rack -> {
            assertThat(rack.getMembers()).isPositive();
            assertThat(rack.getStorage().getVolumeClaimTemplates()).hasSize(1);
        });
    }

    @ParameterizedTest
    @FieldSource("EXAMPLES")
    void exampleIsTheRookApiVersionAndKind(Path example) throws IOException {
        Cluster cluster = Serialization.unmarshal(Files.readString(example), Cluster.class);

        assertThat(cluster.getApiVersion()).isEqualTo("cassandra.rook.io/v1alpha1");
        assertThat(cluster.getKind()).isEqualTo("Cluster");
        assertThat(cluster.getSpec().getMode()).isEqualTo(ClusterMode.CASSANDRA);
    }

    /** Every field the user wrote is kept with its value; the model may add defaults such as apiVersion of an embedded claim. */
    private static void assertContains(JsonNode actual, JsonNode expected, String path) {
        if (expected.isObject()) {
            expected.fieldNames().forEachRemaining(f -> {
                assertThat(actual.has(f)).as("field %s/%s kept", path, f).isTrue();
                assertContains(actual.get(f), expected.get(f), path + "/" + f);
            });
        } else if (expected.isArray()) {
            assertThat(actual.size()).as("size of %s", path).isEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                assertContains(actual.get(i), expected.get(i), path + "/" + i);
            }
        } else {
            assertThat(actual.asText()).as("value of %s", path).isEqualTo(expected.asText());
        }
    }

    @org.junit.jupiter.api.Test
    void fieldsOfANewerCrdDoNotBreakThisModel() {
        String newer = """
                apiVersion: cassandra.rook.io/v1alpha1
                kind: Cluster
                metadata: {name: newer}
                spec:
                  version: 5.0.6
                  futureOption: true
                  datacenter: {name: dc1, racks: [{name: r1, members: 3, futureRackOption: 1}]}
                status: {futureCounter: 2, readyMembers: 3}
                """;

        Cluster cluster = Serialization.unmarshal(newer, Cluster.class);

        assertThat(cluster.getSpec().getDatacenter().getRacks().get(0).getMembers()).isEqualTo(3);
        assertThat(cluster.getStatus().getReadyMembers()).isEqualTo(3);
    }

    @org.junit.jupiter.api.Test
    void rookManifestWithScyllaModeAndStorageNodesStillParses() {
        String rook = """
                apiVersion: cassandra.rook.io/v1alpha1
                kind: Cluster
                metadata: {name: old, namespace: rook-cassandra}
                spec:
                  version: 3.11.1
                  mode: scylla
                  sidecarImage: {repository: rook/cassandra, version: v1.6.0}
                  datacenter:
                    name: us-east-1
                    racks:
                      - name: us-east-1a
                        members: 3
                        annotations: {team: data}
                        storage:
                          nodes: [{name: node-a}]
                """;

        Cluster cluster = Serialization.unmarshal(rook, Cluster.class);

        assertThat(cluster.getSpec().getMode()).isEqualTo(ClusterMode.SCYLLA);
        assertThat(cluster.getSpec().getSidecarImage().getVersion()).isEqualTo("v1.6.0");
        assertThat(cluster.getSpec().getDatacenter().getRacks().get(0).getAnnotations()).containsEntry("team", "data");
        assertThat(cluster.getSpec().getDatacenter().getRacks().get(0).getStorage().getNodes()).hasSize(1);
    }
}
