package io.cassandraoperator.local.apiserver.admission;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;

import java.util.List;
import java.util.stream.Collectors;

/** The 422 the API server answers for an invalid object, so kubectl prints the causes as it would on a real cluster. */
public final class InvalidObjectStatus {
    public static final int CODE = 422;

    private InvalidObjectStatus() {
    }

    public static Status of(String kind, String group, String name, List<FieldError> errors) {
        String qualifiedKind = group == null || group.isEmpty() ? kind : kind + "." + group;
        String causes = errors.size() == 1 ? errors.get(0).describe()
                : errors.stream().map(FieldError::describe).collect(Collectors.joining(", ", "[", "]"));
        return new StatusBuilder()
                .withStatus("Failure")
                .withReason("Invalid")
                .withCode(CODE)
                .withMessage(qualifiedKind + " \"" + name + "\" is invalid: " + causes)
                .withNewDetails()
                .withName(name)
                .withGroup(group)
                .withKind(kind)
                .withCauses(errors.stream()
                        .map(e -> new StatusCauseBuilder().withReason(e.reason()).withField(e.field()).withMessage(e.message()).build())
                        .toList())
                .endDetails()
                .build();
    }
}
