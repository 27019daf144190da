package io.cassandraoperator.local.apiserver;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;

import java.util.List;

/** A refused request, answered with a {@code Status} object as the API server does, so kubectl prints its message. */
public final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int code;
    private final String reason;
    private final String kind;
    private final String name;
    private final List<StatusCause> causes;
    private final Status status;

    public ApiError(int code, String reason, String message, String kind, String name, List<StatusCause> causes) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.kind = kind;
        this.name = name;
        this.causes = causes;
        this.status = null;
    }

    /** A refusal whose Status is already worded, e.g. by admission. */
    public ApiError(Status status) {
        super(status.getMessage());
        this.code = status.getCode();
        this.reason = status.getReason();
        this.kind = null;
        this.name = null;
        this.causes = List.of();
        this.status = status;
    }

    public static ApiError notFound(String plural, String name) {
        return new ApiError(404, "NotFound", plural + " \"" + name + "\" not found", plural, name, List.of());
    }

    public static ApiError invalid(String message) {
        return new ApiError(422, "Invalid", message, null, null, List.of());
    }

    public MockResponse response() {
        Status status = this.status != null ? this.status : new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason)
                .withMessage(getMessage()).withNewMetadata().endMetadata()
                .withNewDetails().withKind(kind).withName(name).withCauses(causes).endDetails().build();
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                .setBody(Serialization.asJson(status));
    }
}
