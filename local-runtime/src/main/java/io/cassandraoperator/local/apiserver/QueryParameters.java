package io.cassandraoperator.local.apiserver;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A request's query parameters, the booleans and integers among them read as the API server reads them: with Go's
 * {@code strconv.ParseBool} ({@code watch=True} is a watch) and {@code strconv.ParseInt} in base 10, a value that does
 * not parse refused with 400. An empty value counts as an absent one.
 */
public final class QueryParameters {
    /** The boolean parameters of list, watch, get, delete and log requests. */
    private static final Set<String> BOOLEANS = Set.of("watch", "allowWatchBookmarks", "sendInitialEvents", "follow",
            "previous", "timestamps", "insecureSkipTLSVerifyBackend", "orphanDependents");
    /** The integer parameters of the same requests. */
    private static final Set<String> INTEGERS = Set.of("limit", "timeoutSeconds", "gracePeriodSeconds", "tailLines",
            "limitBytes", "sinceSeconds");
    private static final Set<String> TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");
    private static final Set<String> FALSE = Set.of("0", "f", "F", "FALSE", "false", "False");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?[0-9]+");

    private final Map<String, String> values;

    private QueryParameters(Map<String, String> values) {
        this.values = values;
    }

    public static QueryParameters of(String path) {
        return new QueryParameters(RequestPath.query(path));
    }

    /** The value as sent, or null. */
    public String get(String name) {
        return values.get(name);
    }

    /** @throws ApiError 400 when the value is not one of Go's booleans */
    public boolean flag(String name) {
        String value = values.get(name);
        return value != null && !value.isEmpty() && parseBool(name, value);
    }

    /**
     * @return the value, or null when absent
     * @throws ApiError 400 when the value is not a 64-bit decimal integer
     */
    public Long integer(String name) {
        String value = values.get(name);
        return value == null || value.isEmpty() ? null : parseInt(name, value);
    }

    /** Refuses the request when any of its boolean or integer parameters does not parse, as the API server does. */
    public void validate() {
        BOOLEANS.forEach(this::flag);
        INTEGERS.forEach(this::integer);
    }

    /** {@code strconv.ParseBool}. */
    static boolean parseBool(String name, String value) {
        if (TRUE.contains(value)) {
            return true;
        }
        if (FALSE.contains(value)) {
            return false;
        }
        throw invalid(name, "strconv.ParseBool: parsing \"" + value + "\": invalid syntax");
    }

    /** {@code strconv.ParseInt(value, 10, 64)}: an optional sign and ASCII digits. */
    static long parseInt(String name, String value) {
        if (!DECIMAL.matcher(value).matches()) {
            throw invalid(name, "strconv.ParseInt: parsing \"" + value + "\": invalid syntax");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw invalid(name, "strconv.ParseInt: parsing \"" + value + "\": value out of range");
        }
    }

    private static ApiError invalid(String name, String reason) {
        return new ApiError(400, "BadRequest", "invalid value for query parameter " + name + ": " + reason, null, null,
                List.of());
    }
}
