package io.cassandraoperator.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The user-facing example manifests, found from the module directory the tests run in. */
final class Examples {
    static final Path PROJECT_ROOT = findRoot();
    static final List<Path> ALL = List.of(
            PROJECT_ROOT.resolve("examples/cluster.yaml"),
            PROJECT_ROOT.resolve("examples/cluster-multirack.yaml"));
    static final Path CHECKED_IN_CRD = PROJECT_ROOT.resolve("deploy/crds/clusters.cassandra.rook.io-v1.yml");

    private Examples() {
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("examples"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no examples/ directory above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
