package io.cassandraoperator.local.cli;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.apache.commons.io.file.PathUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** Failure injection: the disk behind a claim (or volume) is replaced by an empty one; its directory is emptied. */
@Command(name = "wipe-disk", description = "Empty the disk behind a PersistentVolumeClaim or PersistentVolume.")
final class WipeDiskCommand implements Callable<Integer> {
    /** A running Cassandra changes its files for a moment at a time: a few walks empty the directory. */
    private static final int WIPE_PASSES = 10;

    @ParentCommand
    CassandraLocal parent;

    @Parameters(paramLabel = "PVC-or-PV")
    String name;

    @Option(names = {"-n", "--namespace"}, defaultValue = "default")
    String namespace;

    @Override
    public Integer call() throws Exception {
        try (KubernetesClient client = RuntimeClient.of(parent.state())) {
            PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(namespace).withName(name).get();
            String volumeName = claim != null ? claim.getSpec().getVolumeName() : name;
            PersistentVolume volume = volumeName == null ? null : client.persistentVolumes().withName(volumeName).get();
            if (volume == null || volume.getSpec().getLocal() == null) {
                System.out.println("no bound claim or local volume named " + name);
                return 1;
            }
            Path directory = Path.of(volume.getSpec().getLocal().getPath());
            empty(directory);
            System.out.println("wiped " + volume.getMetadata().getName() + " (" + directory + ")");
            return 0;
        }
    }

    /**
     * Deletes everything in the directory while the Cassandra that uses it may go on deleting files (a compaction) and
     * creating them (a flush): a file that is gone before its turn is wiped already, and a directory that gained a file
     * is walked again. Not PathUtils.cleanDirectory: that deletes the files only and leaves the subdirectories behind.
     */
    private static void empty(Path directory) throws IOException {
        for (int pass = 1; ; pass++) {
            try (Stream<Path> children = Files.list(directory)) {
                for (Path child : children.toList()) {
                    PathUtils.delete(child);
                }
                return;
            } catch (NoSuchFileException | DirectoryNotEmptyException e) {
                if (pass == WIPE_PASSES) {
                    throw e;
                }
            }
        }
    }
}
