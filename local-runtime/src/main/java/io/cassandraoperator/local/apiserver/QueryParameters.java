package io.cassandraoperator.local.apiserver;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A request's query parameters, the booleans and integers among them read as the API server decodes them into its
 * options (k8s.io/apimachinery {@code pkg/runtime/conversion.go}): {@code Convert_Slice_string_To_bool} makes an
 * absent parameter false, {@code 0} or any case of {@code false} false, and every other value, {@code ""} and
 * {@code yes} too, true; {@code Convert_Slice_string_To_int64} uses {@code strconv.ParseInt(value, 10, 64)}, so a
 * value that is not a decimal integer, {@code ""} included, is refused with 400. Of a repeated parameter the first
 * value counts, as {@code (*in)[0]} there.
 */
public final class QueryParameters {
    /** The integer parameters of list, watch, get, delete and log requests (booleans never fail to parse). */
    private static final Set<String> INTEGERS = Set.of("limit", "timeoutSeconds", "gracePeriodSeconds", "tailLines",
            "limitBytes", "sinceSeconds");
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

    /** {@code Convert_Slice_string_To_bool}: false when absent, {@code 0} or {@code false} in any case. */
    public boolean flag(String name) {
        String value = values.get(name);
        return value != null && !value.equals("0") && !value.equalsIgnoreCase("false");
    }

    /**
     * @return the value, or null when absent
     * @throws ApiError 400 when the value is not a 64-bit decimal integer
     */
    public Long integer(String name) {
        String value = values.get(name);
        return value == null ? null : parseInt(name, value);
    }

    /**
     * The resourceVersion a watch starts from, or null when none is given (an empty one is none).
     *
     * @throws ApiError 400 when it is not a version this server made, as the API server's {@code ParseResourceVersion}
     */
    public Long resourceVersion() {
        String value = values.get("resourceVersion");
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!value.matches("[0-9]{1,18}")) {
            throw new ApiError(400, "BadRequest", "invalid resource version: " + value, null, null, List.of());
        }
        return Long.parseLong(value);
    }

    /** Refuses the request when any of its integer parameters or its resourceVersion does not parse, as the API server. */
    public void validate() {
        INTEGERS.forEach(this::integer);
        resourceVersion();
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
