package io.cassandraoperator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/** The openAPIV3Schema of the generated CRD, as a JSON-schema validator (OpenAPI v3 schemas are draft-4 based). */
final class CrdSchema {
    private final JsonSchema schema;

    CrdSchema() {
        try (InputStream in = CrdSchema.class.getResourceAsStream(CrdUpToDateTest.GENERATED + "clusters.cassandra.rook.io-v1.yml")) {
            JsonNode crd = Serialization.yamlMapper().readTree(in);
            JsonNode openApi = crd.at("/spec/versions/0/schema/openAPIV3Schema");
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(openApi);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Set<ValidationMessage> validate(String yaml) throws IOException {
        return schema.validate(Serialization.yamlMapper().readTree(yaml));
    }
}
