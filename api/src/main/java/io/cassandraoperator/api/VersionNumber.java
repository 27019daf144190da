package io.cassandraoperator.api;

import java.util.Comparator;
import java.util.regex.Matcher;

/** A Cassandra release number, major.minor.patch, ordered numerically (5.0.10 is newer than 5.0.9). */
public record VersionNumber(int major, int minor, int patch) implements Comparable<VersionNumber> {
    public static final String PATTERN = "^[0-9]{1,4}\\.[0-9]{1,4}\\.[0-9]{1,4}$";
    /** CEL transition rule comparing {@code self} with {@code oldSelf} numerically, part by part, as {@link #compareTo} does. */
    public static final String NOT_DOWNGRADED_RULE = "self == oldSelf"
            + " || int(self.split('.')[0]) > int(oldSelf.split('.')[0])"
            + " || (int(self.split('.')[0]) == int(oldSelf.split('.')[0])"
            + " && (int(self.split('.')[1]) > int(oldSelf.split('.')[1])"
            + " || (int(self.split('.')[1]) == int(oldSelf.split('.')[1])"
            + " && int(self.split('.')[2]) >= int(oldSelf.split('.')[2]))))";
    private static final java.util.regex.Pattern COMPILED = java.util.regex.Pattern.compile(PATTERN);
    private static final Comparator<VersionNumber> ORDER =
            Comparator.comparingInt(VersionNumber::major).thenComparingInt(VersionNumber::minor).thenComparingInt(VersionNumber::patch);

    public static VersionNumber parse(String text) {
        Matcher m = COMPILED.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Cassandra version (major.minor.patch): '" + text + "'");
        }
        String[] parts = text.split("\\.");
        return new VersionNumber(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    }

    @Override
    public int compareTo(VersionNumber other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
