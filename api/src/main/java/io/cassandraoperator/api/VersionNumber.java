package io.cassandraoperator.api;

import java.util.Comparator;
import java.util.regex.Matcher;

/** A Cassandra release number, major.minor.patch, ordered numerically (5.0.10 is newer than 5.0.9). */
public record VersionNumber(int major, int minor, int patch) implements Comparable<VersionNumber> {
    public static final String PATTERN = "^[0-9]{1,4}\\.[0-9]{1,4}\\.[0-9]{1,4}$";
    /**
     * CEL rule on the Cluster's root: {@code spec.version} may go up, never down, except back to (or above) the newest
     * version that has run on the members' data, {@code status.dataVersion}, which the operator writes from the pods.
     * The exception is what lets a version that never ran (an image that does not exist) be set back; a field rule
     * could not read the status, hence a root rule.
     */
    public static final String NOT_DOWNGRADED_RULE = "self.spec.version == oldSelf.spec.version"
            // self.spec.version >= oldSelf.spec.version, part by part
            + " || (int(self.spec.version.split('.')[0]) > int(oldSelf.spec.version.split('.')[0]) || (int(self.spec.version.split('.')[0]) == int(oldSelf.spec.version.split('.')[0]) && (int(self.spec.version.split('.')[1]) > int(oldSelf.spec.version.split('.')[1]) || (int(self.spec.version.split('.')[1]) == int(oldSelf.spec.version.split('.')[1]) && int(self.spec.version.split('.')[2]) >= int(oldSelf.spec.version.split('.')[2])))))"
            // self.spec.version >= oldSelf.status.dataVersion
            + " || (has(oldSelf.status) && has(oldSelf.status.dataVersion) && (int(self.spec.version.split('.')[0]) > int(oldSelf.status.dataVersion.split('.')[0]) || (int(self.spec.version.split('.')[0]) == int(oldSelf.status.dataVersion.split('.')[0]) && (int(self.spec.version.split('.')[1]) > int(oldSelf.status.dataVersion.split('.')[1]) || (int(self.spec.version.split('.')[1]) == int(oldSelf.status.dataVersion.split('.')[1]) && int(self.spec.version.split('.')[2]) >= int(oldSelf.status.dataVersion.split('.')[2]))))))";
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
