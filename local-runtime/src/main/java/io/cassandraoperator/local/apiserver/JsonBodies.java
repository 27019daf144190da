package io.cassandraoperator.local.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;

import java.util.List;

/** Request bodies read as JSON, refused as the API server refuses them, and JSON responses. */
public final class JsonBodies {
    private JsonBodies() {
    }

    /** @throws ApiError 400 when the body is not JSON */
    public static JsonNode parse(String body) {
        try {
            return Serialization.jsonMapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiError(400, "BadRequest", "the body is not JSON: " + e.getOriginalMessage(), null, null,
                    List.of());
        }
    }

    /** @throws ApiError 422 when the body is not an object */
    public static ObjectNode object(String body) {
        JsonNode node = parse(body);
        if (!node.isObject()) {
            throw ApiError.invalid("the body must be an object");
        }
        return (ObjectNode) node;
    }

    public static MockResponse response(int code, Object body) {
        return response(code, Serialization.asJson(body));
    }

    public static MockResponse response(int code, String json) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(json);
    }
}
