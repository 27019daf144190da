package io.cassandraoperator.api;

import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schema part of the CRD (types, bounds, patterns, required fields) on the examples and on invalid documents.
 * Each file under test resources {@code invalid/} starts with a line {@code # expect: <part of the message>}.
 */
class SchemaValidationTest {
    static final List<Path> EXAMPLES = Examples.ALL;
    static final List<Path> INVALID = invalidDocuments();
    private static final CrdSchema SCHEMA = new CrdSchema();

    @ParameterizedTest
    @FieldSource("EXAMPLES")
    void examplesAreValid(Path example) throws IOException {
        assertThat(SCHEMA.validate(Files.readString(example))).isEmpty();
    }

    @ParameterizedTest
    @FieldSource("INVALID")
    void invalidDocumentIsRejectedWithItsMessage(Path document) throws IOException {
        String yaml = Files.readString(document);
        String expected = yaml.lines().findFirst().orElseThrow().replaceFirst("^# expect: ", "");

        Set<ValidationMessage> errors = SCHEMA.validate(yaml);

        assertThat(errors).as("errors for %s", document.getFileName()).isNotEmpty();
        assertThat(errors).map(ValidationMessage::getMessage).anySatisfy(m -> assertThat(m).contains(expected));
    }

    @Test
    void catalogueIsNotEmpty() {
        assertThat(INVALID).hasSizeGreaterThanOrEqualTo(6);
    }

    private static List<Path> invalidDocuments() {
        try (Stream<Path> files = Files.list(Path.of(SchemaValidationTest.class.getResource("/invalid").toURI()))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
