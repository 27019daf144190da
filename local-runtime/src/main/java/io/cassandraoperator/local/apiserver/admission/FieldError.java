package io.cassandraoperator.local.apiserver.admission;

/**
 * One rejected field, shaped like a Kubernetes {@code StatusCause}: {@code reason} is the cause type
 * (FieldValueInvalid, FieldValueRequired, ...), {@code field} the path in Kubernetes notation
 * ({@code spec.datacenter.racks[0].members}), {@code message} the text after the field path.
 */
public record FieldError(String reason, String field, String message) {
    public static FieldError invalid(String field, String message) {
        return new FieldError("FieldValueInvalid", field, message);
    }

    /** As the API server prints a cause: {@code <field>: <message>}. */
    public String describe() {
        return field.isEmpty() ? message : field + ": " + message;
    }
}
