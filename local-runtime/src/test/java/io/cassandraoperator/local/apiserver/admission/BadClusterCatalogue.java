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
 * The catalogue of bad Cluster documents under test resources {@code bad-clusters/}. Each file starts with comment
 * lines: {@code # expect:} (part of the error the user must see), {@code # refused-by:} ({@code api} when the API
 * server refuses it, {@code operator} when only the operator can), and optionally {@code # update-of:} (the stored
 * object it replaces: a path under the project root or under the test resources), or {@code # create-only:} (why it
 * can only be sent as a new Cluster, e.g. a bad name, which an update cannot change).
 */
public record BadClusterCatalogue(String name, String expect, String refusedBy, JsonNode document, JsonNode updateOf, boolean createOnly) {
    public static final Path PROJECT_ROOT = projectRoot();
    public static final Path CRD = PROJECT_ROOT.resolve("deploy/crds/clusters.cassandra.rook.io-v1.yml");
    private static final Pattern HEADER = Pattern.compile("^# ([a-z-]+): (.*)$");

    public boolean refusedByApi() {
        return "api".equals(refusedBy);
    }

    @Override
    public String toString() {
        return name;
    }

    public static List<BadClusterCatalogue> all() {
        try (Stream<Path> files = Files.list(resources())) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().map(BadClusterCatalogue::load).toList();
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

    private static BadClusterCatalogue load(Path file) {
        try {
            String text = Files.readString(file);
            String expect = null;
            String refusedBy = "api";
            JsonNode updateOf = null;
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
                            ? PROJECT_ROOT.resolve(m.group(2)) : resources().getParent().resolve(m.group(2)));
                    case "create-only" -> createOnly = true;
                    default -> { }
                }
            }
            String name = file.getFileName().toString().replaceFirst("\\.yaml$", "");
            return new BadClusterCatalogue(name, expect, refusedBy, Serialization.yamlMapper().readTree(text), updateOf, createOnly);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path resources() {
        try {
            return Path.of(BadClusterCatalogue.class.getResource("/bad-clusters").toURI());
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
