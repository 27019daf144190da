package io.cassandraoperator.local.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The catalogue of bad documents of each kind under test resources: {@code bad-clusters/}, {@code bad-backups/} and
 * {@code bad-restores/}. Each file starts with comment lines: {@code # expect:} (part of the error the user must see),
 * {@code # refused-by:} ({@code api} when the API server refuses it, {@code operator} when only the operator can), and
 * optionally {@code # update-of:} (the stored object it replaces: a path under the project root or under the test
 * resources), {@code # create-only:} (why it can only be sent as a new object, e.g. a bad name, which an update cannot
 * change), or {@code # needs:} (an object, by path under the test resources, that must exist first).
 */
public record BadSpecCatalogue(Kind kind, String name, String expect, String refusedBy, JsonNode document, JsonNode updateOf,
                               boolean createOnly, JsonNode needs) {
    public static final Path PROJECT_ROOT = projectRoot();
    public static final Path CRD = PROJECT_ROOT.resolve("deploy/crds/clusters.cassandra.rook.io-v1.yml");
    private static final Pattern HEADER = Pattern.compile("^# ([a-z-]+): (.*)$");

    /** A kind with a catalogue: its directory under the test resources and its CRD under deploy/crds. */
    public enum Kind {
        Cluster("bad-clusters", "clusters"),
        Backup("bad-backups", "backups"),
        Restore("bad-restores", "restores");

        private final String directory;
        private final String plural;

        Kind(String directory, String plural) {
            this.directory = directory;
            this.plural = plural;
        }

        public Path crd() {
            return CRD.resolveSibling(plural + ".cassandra.rook.io-v1.yml");
        }

        public String plural() {
            return plural;
        }
    }

    public boolean refusedByApi() {
        return "api".equals(refusedBy);
    }

    @Override
    public String toString() {
        return kind + " " + name;
    }

    /** Every kind's documents. */
    public static List<BadSpecCatalogue> all() {
        return Stream.of(Kind.values()).flatMap(k -> of(k).stream()).toList();
    }

    public static List<BadSpecCatalogue> of(Kind kind) {
        try (Stream<Path> files = Files.list(resources().resolve(kind.directory))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().map(f -> load(kind, f)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode readYaml(Path path) {
        try {
            return Serialization.yamlMapper().readTree(Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BadSpecCatalogue load(Kind kind, Path file) {
        try {
            String text = Files.readString(file);
            String expect = null;
            String refusedBy = "api";
            JsonNode updateOf = null;
            JsonNode needs = null;
            boolean createOnly = false;
            for (String line : text.lines().takeWhile(l -> l.startsWith("#")).toList()) {
                Matcher m = HEADER.matcher(line);
                if (!m.matches()) {
                    continue;
                }
                switch (m.group(1)) {
                    case "expect" -> expect = m.group(2);
                    case "refused-by" -> refusedBy = m.group(2);
                    case "update-of" -> updateOf = readYaml(m.group(2).startsWith("examples/")
                            ? PROJECT_ROOT.resolve(m.group(2)) : resources().resolve(m.group(2)));
                    case "create-only" -> createOnly = true;
                    case "needs" -> needs = readYaml(resources().resolve(m.group(2)));
                    default -> { }
                }
            }
            String name = file.getFileName().toString().replaceFirst("\\.yaml$", "");
            return new BadSpecCatalogue(kind, name, expect, refusedBy, Serialization.yamlMapper().readTree(text), updateOf,
                    createOnly, needs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The test resources' root, where the catalogue's directories are. */
    private static Path resources() {
        try {
            return Path.of(BadSpecCatalogue.class.getResource("/bad-clusters").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("examples"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no examples/ above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
