package io.cassandraoperator.local.kubelet;

import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Maps a pod's volumes onto directories of this machine: ConfigMaps and Secrets become directories of files under the
 * pod's directory (rewritten when their object changes, as a kubelet refreshes them), a claim becomes its bound
 * PersistentVolume's {@code local.path} (or {@code hostPath.path}), an emptyDir a directory of the pod.
 */
final class PodVolumes {
    /** A Secret's or ConfigMap's files without a defaultMode, as in Kubernetes. */
    private static final int DEFAULT_MODE = 0644;
    private final Path podDirectory;
    private final ObjectLookup objects;

    PodVolumes(Path podDirectory, ObjectLookup objects) {
        this.podDirectory = podDirectory;
        this.objects = objects;
    }

    /** The volumes not ready yet, or else the host directory of each volume by name. */
    sealed interface Result permits Ready, Waiting {
    }

    record Ready(Map<String, Path> directories) implements Result {
    }

    record Waiting(String message) implements Result {
    }

    /** Materialises (or refreshes) every volume of the pod. */
    Result prepare(Pod pod) {
        String namespace = pod.getMetadata().getNamespace();
        Map<String, Path> directories = new LinkedHashMap<>();
        List<Volume> volumes = pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
        for (Volume volume : volumes) {
            Path directory = podDirectory.resolve("volumes").resolve(volume.getName());
            if (volume.getConfigMap() != null) {
                var source = volume.getConfigMap();
                var configMap = objects.configMap(namespace, source.getName());
                if (configMap == null && !Boolean.TRUE.equals(source.getOptional())) {
                    return new Waiting("configmap \"" + source.getName() + "\" not found");
                }
                var data = configMap == null ? Map.<String, byte[]>of() : KeyedData.of(configMap);
                var files = selectItems(data, source.getItems(), source.getOptional(), source.getDefaultMode());
                if (files == null) {
                    return new Waiting("configmap \"" + source.getName() + "\" lacks a key the volume's items name");
                }
                writeFiles(directory, files);
            } else if (volume.getSecret() != null) {
                var source = volume.getSecret();
                var secret = objects.secret(namespace, source.getSecretName());
                if (secret == null && !Boolean.TRUE.equals(source.getOptional())) {
                    return new Waiting("secret \"" + source.getSecretName() + "\" not found");
                }
                var data = secret == null ? Map.<String, byte[]>of() : KeyedData.of(secret);
                var files = selectItems(data, source.getItems(), source.getOptional(), source.getDefaultMode());
                if (files == null) {
                    return new Waiting("secret \"" + source.getSecretName() + "\" lacks a key the volume's items name");
                }
                writeFiles(directory, files);
            } else if (volume.getPersistentVolumeClaim() != null) {
                String claimName = volume.getPersistentVolumeClaim().getClaimName();
                PersistentVolumeClaim claim = objects.claim(namespace, claimName);
                if (claim == null) {
                    return new Waiting("persistentvolumeclaim \"" + claimName + "\" not found");
                }
                String volumeName = claim.getSpec() == null ? null : claim.getSpec().getVolumeName();
                PersistentVolume bound = volumeName == null ? null : objects.volume(volumeName);
                if (bound == null) {
                    return new Waiting("persistentvolumeclaim \"" + claimName + "\" is not bound yet");
                }
                Path path = hostPath(bound);
                if (path == null) {
                    return new Waiting("persistentvolume \"" + volumeName + "\" has neither local.path nor hostPath.path");
                }
                createDirectories(path);
                directories.put(volume.getName(), path);
                continue;
            } else if (volume.getHostPath() != null) {
                directory = Path.of(volume.getHostPath().getPath());
                createDirectories(directory);
            } else if (volume.getEmptyDir() != null) {
                if (!Files.isDirectory(directory)) {
                    createDirectories(directory);
                    // As the kubelet makes an emptyDir: any container user may write it.
                    setMode(directory, 0777);
                }
            } else {
                return new Waiting("volume \"" + volume.getName() + "\" has a type the local runtime does not support"
                        + " (configMap, secret, persistentVolumeClaim, hostPath and emptyDir are)");
            }
            directories.put(volume.getName(), directory);
        }
        return new Ready(directories);
    }

    private static Path hostPath(PersistentVolume volume) {
        var spec = volume.getSpec();
        if (spec == null) {
            return null;
        }
        if (spec.getLocal() != null && spec.getLocal().getPath() != null) {
            return Path.of(spec.getLocal().getPath());
        }
        if (spec.getHostPath() != null && spec.getHostPath().getPath() != null) {
            return Path.of(spec.getHostPath().getPath());
        }
        return null;
    }

    /** A projected file: its bytes and its mode (the item's mode, else the volume's defaultMode, else 0644). */
    private record ProjectedFile(byte[] content, int mode) {
    }

    /** File path → file; null when an item names a key that is absent and the source is not optional. */
    private static Map<String, ProjectedFile> selectItems(Map<String, byte[]> data, List<KeyToPath> items,
                                                          Boolean optional, Integer defaultMode) {
        int mode = defaultMode == null ? DEFAULT_MODE : defaultMode;
        Map<String, ProjectedFile> files = new LinkedHashMap<>();
        if (items == null || items.isEmpty()) {
            data.forEach((key, content) -> files.put(key, new ProjectedFile(content, mode)));
            return files;
        }
        for (KeyToPath item : items) {
            byte[] content = data.get(item.getKey());
            if (content == null) {
                if (Boolean.TRUE.equals(optional)) {
                    continue;
                }
                return null;
            }
            files.put(item.getPath(), new ProjectedFile(content, item.getMode() == null ? mode : item.getMode()));
        }
        return files;
    }

    /**
     * Makes the directory hold exactly these files. Each file is replaced atomically, so a reader never sees half a
     * file; unchanged files are not touched.
     */
    private static void writeFiles(Path directory, Map<String, ProjectedFile> files) {
        try {
            Files.createDirectories(directory);
            try (Stream<Path> existing = Files.walk(directory)) {
                for (Path path : existing.sorted(Comparator.reverseOrder()).toList()) {
                    String relative = directory.relativize(path).toString();
                    if (!path.equals(directory) && Files.isRegularFile(path) && !files.containsKey(relative)) {
                        Files.delete(path);
                    }
                }
            }
            for (Map.Entry<String, ProjectedFile> file : files.entrySet()) {
                Path target = directory.resolve(file.getKey()).normalize();
                if (!target.startsWith(directory)) {
                    throw new IllegalArgumentException("volume item path escapes its volume: " + file.getKey());
                }
                byte[] content = file.getValue().content();
                if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), content)) {
                    continue;
                }
                Files.createDirectories(target.getParent());
                Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
                // Owner-only until its mode is set, before it appears under its name: never readable more widely.
                Files.deleteIfExists(temporary);
                Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.write(temporary, content);
                setMode(temporary, file.getValue().mode());
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void setMode(Path path, int mode) {
        try {
            Files.setAttribute(path, "unix:mode", mode);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
