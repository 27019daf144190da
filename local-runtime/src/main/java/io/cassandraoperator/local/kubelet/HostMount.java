package io.cassandraoperator.local.kubelet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One mount of this machine as {@code /proc/self/mountinfo} lists it: where it is mounted and its per-mount options
 * other than {@code rw}/{@code ro} ({@code nosuid}, {@code nodev}, ...), which a bind remount must repeat or it clears them.
 */
record HostMount(Path mountPoint, List<String> options) {
    private static final Path MOUNT_INFO = Path.of("/proc/self/mountinfo");
    private static final Pattern OCTAL_ESCAPE = Pattern.compile("\\\\([0-7]{3})");

    HostMount {
        options = List.copyOf(options);
    }

    static List<HostMount> ofThisProcess() {
        try {
            return parse(Files.readAllLines(MOUNT_INFO));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines of mountinfo: "id parent major:minor root mount-point options ... - type source super-options". */
    static List<HostMount> parse(List<String> lines) {
        return lines.stream().filter(line -> !line.isBlank()).map(line -> {
            String[] fields = line.split(" ");
            List<String> options = Arrays.stream(fields[5].split(","))
                    .filter(option -> !option.equals("rw") && !option.equals("ro")).toList();
            return new HostMount(Path.of(unescape(fields[4])), options);
        }).toList();
    }

    /** The mount that holds {@code path}: the one with the longest mount point containing it (the last one listed wins). */
    static Optional<HostMount> holding(List<HostMount> mounts, Path path) {
        Path normalized = path.toAbsolutePath().normalize();
        return mounts.stream().filter(mount -> normalized.startsWith(mount.mountPoint()))
                .reduce((a, b) -> a.mountPoint().getNameCount() > b.mountPoint().getNameCount() ? a : b);
    }

    /** The options for a bind remount with {@code access} ("ro" or "rw") that keeps this mount's other flags. */
    String remountOptions(String access) {
        return "remount,bind," + access + options.stream().map(option -> "," + option).collect(Collectors.joining());
    }

    private static String unescape(String field) {
        Matcher matcher = OCTAL_ESCAPE.matcher(field);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(result, Matcher.quoteReplacement(
                    Character.toString((char) Integer.parseInt(matcher.group(1), 8))));
        }
        matcher.appendTail(result);
        return result.toString();
    }
}
