package io.cassandraoperator.local.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.cassandraoperator.local.apiserver.admission.BadSpecCatalogue.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class CustomResourceValidatorTest {
    private static final CustomResourceValidator VALIDATOR = validator(Kind.Cluster);
    private static final Map<Kind, CustomResourceValidator> VALIDATORS = Stream.of(Kind.values())
            .collect(Collectors.toMap(k -> k, CustomResourceValidatorTest::validator));

    private static CustomResourceValidator validator(Kind kind) {
        return CustomResourceValidator.forCrdVersion(BadSpecCatalogue.readYaml(kind.crd()), "v1alpha1");
    }

    static List<BadSpecCatalogue> refusedByApi() {
        return BadSpecCatalogue.all().stream().filter(BadSpecCatalogue::refusedByApi).toList();
    }

    static List<BadSpecCatalogue> refusedByOperator() {
        return BadSpecCatalogue.all().stream().filter(c -> !c.refusedByApi()).toList();
    }

    @Test
    void catalogueHasAtLeastTwentyClustersAndCasesOfEveryKind() {
        assertThat(BadSpecCatalogue.of(Kind.Cluster)).hasSizeGreaterThanOrEqualTo(20);
        for (Kind kind : Kind.values()) {
            assertThat(BadSpecCatalogue.of(kind)).as("%s refused by the API server and by the operator", kind)
                    .anyMatch(BadSpecCatalogue::refusedByApi).anyMatch(c -> !c.refusedByApi());
        }
    }

    @ParameterizedTest
    @MethodSource("refusedByApi")
    void refusesWithTheMessageAUserNeeds(BadSpecCatalogue bad) {
        List<FieldError> errors = VALIDATORS.get(bad.kind()).validate(bad.document(), bad.updateOf(), true);

        assertThat(errors).as("errors for %s", bad).isNotEmpty();
        assertThat(InvalidObjectStatus.of(bad.kind().name(), "cassandra.rook.io", "cassandra", errors).getMessage())
                .startsWith(bad.kind() + ".cassandra.rook.io \"cassandra\" is invalid: ")
                .contains(bad.expect());
    }

    @ParameterizedTest
    @MethodSource("refusedByOperator")
    void leavesToTheOperatorWhatTheSchemaCannotKnow(BadSpecCatalogue bad) {
        assertThat(VALIDATORS.get(bad.kind()).validate(bad.document(), bad.updateOf(), true)).isEmpty();
    }

    @Test
    void aVersionThatNeverRanCanBeSetBackToTheDataVersionButNotBelow() {
        JsonNode single = BadSpecCatalogue.readYaml(BadSpecCatalogue.PROJECT_ROOT.resolve("examples/cluster.yaml"));
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
        JsonNode single = BadSpecCatalogue.readYaml(BadSpecCatalogue.PROJECT_ROOT.resolve("examples/cluster.yaml"));
        JsonNode multi = BadSpecCatalogue.readYaml(BadSpecCatalogue.PROJECT_ROOT.resolve("examples/cluster-multirack.yaml"));
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
        BadSpecCatalogue unknown = BadSpecCatalogue.of(Kind.Cluster).stream()
                .filter(c -> c.name().endsWith("unknown-field-in-spec")).findFirst().orElseThrow();

        assertThat(VALIDATOR.validate(unknown.document(), null, false)).isEmpty();
    }

    @Test
    void unknownFieldsArePrunedLikeTheApiServerDoes() {
        com.fasterxml.jackson.databind.node.ObjectNode document = (com.fasterxml.jackson.databind.node.ObjectNode)
                BadSpecCatalogue.of(Kind.Cluster).stream().filter(c -> c.name().endsWith("unknown-field-in-rack")).findFirst().orElseThrow()
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
