package io.cassandraoperator.local.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cassandraoperator.local.apiserver.ApiError;
import io.cassandraoperator.local.apiserver.admission.CustomResourceValidator;
import io.cassandraoperator.local.apiserver.admission.FieldError;
import io.cassandraoperator.local.apiserver.admission.InvalidObjectStatus;

import java.util.List;

/**
 * Custom resources: validated against their CRD version's schema and CEL rules (unknown fields pruned first unless
 * the request asks for strict field validation), and created without a status when the CRD has a status subresource.
 */
final class CustomResourceStrategy implements ResourceStrategy {
    private final String kind;
    private final String group;
    private final CustomResourceValidator validator;
    private final boolean statusSubresource;

    /** @param validator null when the CRD version has no schema */
    CustomResourceStrategy(String kind, String group, CustomResourceValidator validator, boolean statusSubresource) {
        this.kind = kind;
        this.group = group;
        this.validator = validator;
        this.statusSubresource = statusSubresource;
    }

    @Override
    public boolean hasStatusSubresource() {
        return statusSubresource;
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        if (statusSubresource) {
            object.remove("status");
        }
    }

    @Override
    public void validate(ObjectNode object, JsonNode old, boolean strictFields) {
        if (validator == null) {
            return;
        }
        if (!strictFields) {
            validator.pruneUnknownFields(object);
        }
        List<FieldError> errors = validator.validate(object, old, strictFields);
        if (!errors.isEmpty()) {
            throw new ApiError(InvalidObjectStatus.of(kind, group, object.path("metadata").path("name").asText(),
                    errors));
        }
    }
}
