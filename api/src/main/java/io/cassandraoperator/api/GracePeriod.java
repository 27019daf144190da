package io.cassandraoperator.api;

import java.time.Duration;
import java.util.regex.Matcher;

/**
 * A duration as Kubernetes writes one ({@code 5m}, {@code 90s}, {@code 1h30m}): whole hours, minutes and seconds, summed
 * as Go's {@code time.ParseDuration} and CEL's {@code duration()} sum them, so the schema, CEL and the operator read
 * the same value.
 */
public final class GracePeriod {
    public static final String PATTERN = "^([0-9]{1,6}(h|m|s))+$";
    /** The shortest grace period the schema accepts. */
    public static final String MINIMUM = "10s";
    private static final java.util.regex.Pattern COMPILED = java.util.regex.Pattern.compile(PATTERN);
    private static final java.util.regex.Pattern PART = java.util.regex.Pattern.compile("([0-9]{1,6})(h|m|s)");

    private GracePeriod() {
    }

    public static Duration parse(String text) {
        if (text == null || !COMPILED.matcher(text).matches()) {
            throw new IllegalArgumentException("not a duration of hours, minutes and seconds (e.g. 5m, 90s, 1h30m): '" + text + "'");
        }
        Duration total = Duration.ZERO;
        Matcher part = PART.matcher(text);
        while (part.find()) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "h" -> Duration.ofHours(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofSeconds(amount);
            });
        }
        return total;
    }

    /** The way a user would write it back: {@code 1h30m}, {@code 5m}, {@code 15s}. */
    public static String format(Duration duration) {
        StringBuilder text = new StringBuilder();
        if (duration.toHours() > 0) {
            text.append(duration.toHours()).append('h');
        }
        if (duration.toMinutesPart() > 0) {
            text.append(duration.toMinutesPart()).append('m');
        }
        if (duration.toSecondsPart() > 0 || text.isEmpty()) {
            text.append(duration.toSecondsPart()).append('s');
        }
        return text.toString();
    }
}
