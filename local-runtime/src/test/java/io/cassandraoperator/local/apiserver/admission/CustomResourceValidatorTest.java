package io.cassandraoperator.local.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CustomResourceValidatorTest {
    private static final CustomResourceValidator VALIDATOR =
            CustomResourceValidator.forCrdVersion(BadClusterCatalogue.readYaml(BadClusterCatalogue.CRD), "v1alpha1");

    static List<BadClusterCatalogue> refusedByApi() {
        return BadClusterCatalogue.all().stream().filter(BadClusterCatalogue::refusedByApi).toList();
    }

    static List<BadClusterCatalogue> refusedByOperator() {
        return BadClusterCatalogue.all().stream().filter(c -> !c.refusedByApi()).toList();
    }

    @Test
    void catalogueHasAtLeastTwentyDocuments() {
        assertThat(BadClusterCatalogue.all()).hasSizeGreaterThanOrEqualTo(20);
    }

    @ParameterizedTest
    @MethodSource("refusedByApi")
    void refusesWithTheMessageAUserNeeds(BadClusterCatalogue bad) {
        List<FieldError> errors = VALIDATOR.validate(bad.document(), bad.updateOf(), true);

        assertThat(errors).as("errors for %s", bad.name()).isNotEmpty();
        assertThat(InvalidObjectStatus.of("Cluster", "cassandra.rook.io", "cassandra", errors).getMessage())
                .startsWith("Cluster.cassandra.rook.io \"cassandra\" is invalid: ")
                .contains(bad.expect());
    }

    @ParameterizedTest
    @MethodSource("refusedByOperator")
    void leavesToTheOperatorWhatTheSchemaCannotKnow(BadClusterCatalogue bad) {
        assertThat(VALIDATOR.validate(bad.document(), bad.updateOf(), true)).isEmpty();
    }

    @Test
    void aVersionThatNeverRanCanBeSetBackToTheDataVersionButNotBelow() {
        JsonNode single = BadClusterCatalogue.readYaml(BadClusterCatalogue.PROJECT_ROOT.resolve("examples/cluster.yaml"));
        com.fasterxml.jackson.databind.node.ObjectNode broken = single.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.get("spec")).put("version", "5.0.99");
        broken.putObject("status").put("dataVersion", "5.0.6");
        com.fasterxml.jackson.databind.node.ObjectNode setBack = broken.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) setBack.get("spec")).put("version", "5.0.6");
        com.fasterxml.jackson.databind.node.ObjectNode below = broken.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) below.get("spec")).put("version", "5.0.5");
        com.fasterxml.jackson.databind.node.ObjectNode withoutStatus = broken.deepCopy();
        withoutStatus.remove("status");

        assertThat(VALIDATOR.validate(setBack, broken, true)).as("back to the version the data has").isEmpty();
        assertThat(VALIDATOR.validate(below, broken, true)).as("below it").singleElement().asString().contains("version may not go down");
        assertThat(VALIDATOR.validate(setBack, withoutStatus, true)).as("no dataVersion known").singleElement().asString()
                .contains("version may not go down");
    }

    @Test
    void examplesAndAllowedChangesPass() {
        JsonNode single = BadClusterCatalogue.readYaml(BadClusterCatalogue.PROJECT_ROOT.resolve("examples/cluster.yaml"));
        JsonNode multi = BadClusterCatalogue.readYaml(BadClusterCatalogue.PROJECT_ROOT.resolve("examples/cluster-multirack.yaml"));
        JsonNode upgraded = single.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) upgraded.get("spec")).put("version", "5.0.10");
        JsonNode rackEmptied = multi.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) rackEmptied.at("/spec/datacenter/racks/2")).put("members", 0);
        JsonNode rackRemoved = rackEmptied.deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) rackRemoved.at("/spec/datacenter/racks")).remove(2);

        assertThat(VALIDATOR.validate(single, null, true)).isEmpty();
        assertThat(VALIDATOR.validate(multi, null, true)).isEmpty();
        assertThat(VALIDATOR.validate(upgraded, single, true)).as("upgrade 5.0.6 -> 5.0.10").isEmpty();
        assertThat(VALIDATOR.validate(rackRemoved, rackEmptied, true)).as("removing a rack already at 0").isEmpty();
    }

    @Test
    void unknownFieldsPassWhenValidationIsNotStrict() {
        BadClusterCatalogue unknown = BadClusterCatalogue.all().stream()
                .filter(c -> c.name().endsWith("unknown-field-in-spec")).findFirst().orElseThrow();

        assertThat(VALIDATOR.validate(unknown.document(), null, false)).isEmpty();
    }

    @Test
    void unknownFieldsArePrunedLikeTheApiServerDoes() {
        com.fasterxml.jackson.databind.node.ObjectNode document = (com.fasterxml.jackson.databind.node.ObjectNode)
                BadClusterCatalogue.all().stream().filter(c -> c.name().endsWith("unknown-field-in-rack")).findFirst().orElseThrow()
                        .document().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) document.get("spec")).put("replicas", 3);

        VALIDATOR.pruneUnknownFields(document);

        assertThat(document.path("spec").has("replicas")).isFalse();
        assertThat(document.at("/spec/datacenter/racks/0").has("member")).isFalse();
        assertThat(document.at("/spec/datacenter/racks/0/members").asInt()).isEqualTo(3);
        assertThat(document.path("metadata").path("name").asText()).isNotEmpty();
        assertThat(VALIDATOR.validate(document, null, true)).isEmpty();
    }
}
