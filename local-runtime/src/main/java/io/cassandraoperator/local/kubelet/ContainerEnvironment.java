package io.cassandraoperator.local.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.VolumeMount;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment of a container process: the image's env, then the container's {@code envFrom} and {@code env}
 * resolved as a kubelet does (values with {@code $(VAR)} expansion, fieldRef, configMapKeyRef, secretKeyRef).
 * A value of the pod's (not the image's) equal to or under a volumeMount's mountPath is rewritten to that volume's
 * directory on this machine, since processes here see the host's file system rather than the container's.
 */
final class ContainerEnvironment {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");
    private static final Pattern LABEL_OR_ANNOTATION = Pattern.compile("metadata\\.(labels|annotations)\\['(.+)']");

    private ContainerEnvironment() {
    }

    static Map<String, String> resolve(Pod pod, Container container, LocalImage image, String podIP, String hostIP,
                                       ObjectLookup objects, Map<String, Path> volumeDirectories)
            throws ContainerConfigException {
        String namespace = pod.getMetadata().getNamespace();
        Map<String, String> env = new LinkedHashMap<>(image.env());
        Set<String> declared = new HashSet<>();
        for (EnvFromSource source : listOf(container.getEnvFrom())) {
            String prefix = source.getPrefix() == null ? "" : source.getPrefix();
            Map<String, byte[]> data;
            if (source.getConfigMapRef() != null) {
                var ref = source.getConfigMapRef();
                var configMap = objects.configMap(namespace, ref.getName());
                if (configMap == null && !Boolean.TRUE.equals(ref.getOptional())) {
                    throw new ContainerConfigException("configmap \"" + ref.getName() + "\" not found");
                }
                data = configMap == null ? Map.of() : KeyedData.of(configMap);
            } else if (source.getSecretRef() != null) {
                var ref = source.getSecretRef();
                var secret = objects.secret(namespace, ref.getName());
                if (secret == null && !Boolean.TRUE.equals(ref.getOptional())) {
                    throw new ContainerConfigException("secret \"" + ref.getName() + "\" not found");
                }
                data = secret == null ? Map.of() : KeyedData.of(secret);
            } else {
                continue;
            }
            data.forEach((key, value) -> {
                env.put(prefix + key, new String(value, StandardCharsets.UTF_8));
                declared.add(prefix + key);
            });
        }
        for (EnvVar var : listOf(container.getEnv())) {
            Optional<String> value = value(var, env, pod, podIP, hostIP, objects, namespace);
            if (value.isPresent()) {
                env.put(var.getName(), value.get());
                declared.add(var.getName());
            }
        }
        // Only the pod's own values are container paths; the image's env already names paths of this machine.
        List<VolumeMount> mounts = listOf(container.getVolumeMounts());
        env.replaceAll((name, value) -> declared.contains(name) ? toHostPath(value, mounts, volumeDirectories) : value);
        return env;
    }

    /** The value, or empty when an optional reference is absent (the variable is then not set, as in Kubernetes). */
    private static Optional<String> value(EnvVar var, Map<String, String> defined, Pod pod, String podIP, String hostIP,
                                          ObjectLookup objects, String namespace) throws ContainerConfigException {
        if (var.getValueFrom() == null) {
            return Optional.of(expand(var.getValue() == null ? "" : var.getValue(), defined));
        }
        var from = var.getValueFrom();
        if (from.getFieldRef() != null) {
            return Optional.of(field(from.getFieldRef(), pod, podIP, hostIP));
        }
        if (from.getConfigMapKeyRef() != null) {
            var ref = from.getConfigMapKeyRef();
            var configMap = objects.configMap(namespace, ref.getName());
            byte[] value = configMap == null ? null : KeyedData.of(configMap).get(ref.getKey());
            return present(value, Boolean.TRUE.equals(ref.getOptional()), "configmap", ref.getName(), ref.getKey(),
                    configMap != null);
        }
        if (from.getSecretKeyRef() != null) {
            var ref = from.getSecretKeyRef();
            var secret = objects.secret(namespace, ref.getName());
            byte[] value = secret == null ? null : KeyedData.of(secret).get(ref.getKey());
            return present(value, Boolean.TRUE.equals(ref.getOptional()), "secret", ref.getName(), ref.getKey(),
                    secret != null);
        }
        throw new ContainerConfigException("env " + var.getName()
                + ": only value, fieldRef, configMapKeyRef and secretKeyRef are supported by the local runtime");
    }

    private static Optional<String> present(byte[] value, boolean optional, String kind, String name, String key,
                                            boolean objectExists) throws ContainerConfigException {
        if (value != null) {
            return Optional.of(new String(value, StandardCharsets.UTF_8));
        }
        if (optional) {
            return Optional.empty();
        }
        throw new ContainerConfigException(objectExists
                ? "couldn't find key " + key + " in " + kind + " " + name
                : kind + " \"" + name + "\" not found");
    }

    private static String field(ObjectFieldSelector selector, Pod pod, String podIP, String hostIP)
            throws ContainerConfigException {
        String path = selector.getFieldPath();
        var metadata = pod.getMetadata();
        switch (path) {
            case "metadata.name":
                return metadata.getName();
            case "metadata.namespace":
                return metadata.getNamespace();
            case "metadata.uid":
                return metadata.getUid();
            case "spec.nodeName":
                return pod.getSpec().getNodeName();
            case "spec.serviceAccountName":
                return pod.getSpec().getServiceAccountName();
            case "status.podIP":
                return podIP;
            case "status.hostIP":
                return hostIP;
            default:
                Matcher matcher = LABEL_OR_ANNOTATION.matcher(path);
                if (matcher.matches()) {
                    Map<String, String> values = "labels".equals(matcher.group(1))
                            ? metadata.getLabels() : metadata.getAnnotations();
                    return values == null ? "" : values.getOrDefault(matcher.group(2), "");
                }
                throw new ContainerConfigException("unsupported fieldRef " + path);
        }
    }

    /** Kubernetes' {@code $(VAR)} expansion: references to defined variables are replaced, others kept, {@code $$} escapes. */
    static String expand(String value, Map<String, String> defined) {
        Matcher matcher = REFERENCE.matcher(value);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String replacement = matcher.group(1) == null ? "$"
                    : defined.getOrDefault(matcher.group(1), matcher.group());
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    /** The deepest mount that contains the value decides; values outside every mount are left alone. */
    static String toHostPath(String value, List<VolumeMount> mounts, Map<String, Path> volumeDirectories) {
        return mounts.stream()
                .filter(mount -> volumeDirectories.containsKey(mount.getName()))
                .filter(mount -> value.equals(mount.getMountPath()) || value.startsWith(withSlash(mount.getMountPath())))
                .max(Comparator.comparingInt(mount -> mount.getMountPath().length()))
                .map(mount -> {
                    Path directory = volumeDirectories.get(mount.getName());
                    if (mount.getSubPath() != null && !mount.getSubPath().isEmpty()) {
                        directory = directory.resolve(mount.getSubPath());
                    }
                    String rest = value.substring(mount.getMountPath().length());
                    return rest.isEmpty() || rest.equals("/") ? directory.toString()
                            : directory.resolve(rest.substring(1)).toString();
                })
                .orElse(value);
    }

    private static String withSlash(String path) {
        return path.endsWith("/") ? path : path + "/";
    }

    private static <T> List<T> listOf(List<T> list) {
        return list == null ? List.of() : list;
    }
}
