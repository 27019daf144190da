package io.cassandraoperator.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersions;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.storage.StorageClass;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The discovery documents kubectl reads before anything else ({@code /version}, {@code /api}, {@code /apis},
 * {@code /api/v1}, {@code /apis/<group>/<version>}), generated from the fabric8 model classes' annotations for the
 * built-in kinds this runtime serves and from the stored CustomResourceDefinitions; their OpenAPI documents are
 * {@link OpenApiDocuments}.
 */
public final class ApiDiscovery {
    /** The built-in kinds this runtime serves. */
    public static final List<Class<? extends HasMetadata>> BUILT_IN = List.of(
            Pod.class, Service.class, Endpoints.class, ConfigMap.class, Secret.class, PersistentVolumeClaim.class,
            PersistentVolume.class, Node.class, Event.class, Namespace.class, ServiceAccount.class,
            StatefulSet.class, Deployment.class, PodDisruptionBudget.class, CustomResourceDefinition.class,
            Lease.class, Role.class, RoleBinding.class, ClusterRole.class, ClusterRoleBinding.class,
            StorageClass.class);
    /** Plurals whose status is a subresource: writes to the object itself leave the status alone. */
    public static final Set<String> STATUS_SUBRESOURCE = Set.of("pods", "services", "persistentvolumeclaims",
            "persistentvolumes", "nodes", "namespaces", "statefulsets", "deployments", "poddisruptionbudgets",
            "customresourcedefinitions");
    private static final Map<String, List<String>> SHORT_NAMES = Map.ofEntries(
            Map.entry("pods", List.of("po")), Map.entry("services", List.of("svc")),
            Map.entry("endpoints", List.of("ep")), Map.entry("configmaps", List.of("cm")),
            Map.entry("persistentvolumeclaims", List.of("pvc")), Map.entry("persistentvolumes", List.of("pv")),
            Map.entry("nodes", List.of("no")), Map.entry("events", List.of("ev")),
            Map.entry("namespaces", List.of("ns")), Map.entry("serviceaccounts", List.of("sa")),
            Map.entry("statefulsets", List.of("sts")), Map.entry("deployments", List.of("deploy")),
            Map.entry("poddisruptionbudgets", List.of("pdb")),
            Map.entry("customresourcedefinitions", List.of("crd", "crds")), Map.entry("storageclasses", List.of("sc")));
    private static final Set<String> IN_CATEGORY_ALL = Set.of("pods", "services", "statefulsets", "deployments");
    private static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch",
            "update", "watch");

    private final Supplier<String> serverAddress;

    /** @param serverAddress host:port of the API server, known once it listens */
    public ApiDiscovery(Supplier<String> serverAddress) {
        this.serverAddress = serverAddress;
    }

    public Map<String, Object> version() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("major", "1");
        v.put("minor", "32");
        v.put("gitVersion", "v1.32.0-cassandra-local");
        v.put("gitCommit", "");
        v.put("gitTreeState", "clean");
        v.put("buildDate", "2026-01-01T00:00:00Z");
        v.put("goVersion", "n/a");
        v.put("compiler", "n/a");
        v.put("platform", "linux/amd64");
        return v;
    }

    public APIVersions coreVersions() {
        return new APIVersionsBuilder().withVersions("v1")
                .addNewServerAddressByClientCIDR("0.0.0.0/0", serverAddress.get()).build();
    }

    /** {@code /apis}: the built-in groups and those of the given CRDs. */
    public io.fabric8.kubernetes.api.model.APIGroupList groups(List<JsonNode> crds) {
        Map<String, List<String>> versionsByGroup = new LinkedHashMap<>();
        for (Class<? extends HasMetadata> type : BUILT_IN) {
            String group = HasMetadata.getGroup(type);
            if (!group.isEmpty()) {
                addVersion(versionsByGroup, group, HasMetadata.getVersion(type));
            }
        }
        for (JsonNode crd : crds) {
            String group = crd.path("spec").path("group").asText();
            for (JsonNode v : crd.path("spec").path("versions")) {
                if (v.path("served").asBoolean(true)) {
                    addVersion(versionsByGroup, group, v.path("name").asText());
                }
            }
        }
        List<APIGroup> groups = new ArrayList<>();
        versionsByGroup.forEach((group, versions) -> {
            List<GroupVersionForDiscovery> gvs = versions.stream()
                    .map(v -> new GroupVersionForDiscovery(group + "/" + v, v)).toList();
            groups.add(new APIGroupBuilder().withName(group).withVersions(gvs).withPreferredVersion(gvs.get(0))
                    .build());
        });
        return new APIGroupListBuilder().withGroups(groups).build();
    }

    /** {@code /apis/<group>}, or empty when the group is unknown. */
    public Optional<APIGroup> group(String name, List<JsonNode> crds) {
        return groups(crds).getGroups().stream().filter(g -> g.getName().equals(name)).findFirst();
    }

    /** {@code /api/v1} (group "") or {@code /apis/<group>/<version>}, or empty when nothing is served there. */
    public Optional<APIResourceList> resources(String group, String version, List<JsonNode> crds) {
        List<APIResource> resources = new ArrayList<>();
        for (Class<? extends HasMetadata> type : BUILT_IN) {
            if (HasMetadata.getGroup(type).equals(group) && HasMetadata.getVersion(type).equals(version)) {
                String plural = HasMetadata.getPlural(type);
                resources.add(resource(plural, HasMetadata.getKind(type), Namespaced.class.isAssignableFrom(type),
                        SHORT_NAMES.getOrDefault(plural, List.of()),
                        IN_CATEGORY_ALL.contains(plural) ? List.of("all") : List.of()));
                if (STATUS_SUBRESOURCE.contains(plural)) {
                    resources.add(subresource(plural + "/status", HasMetadata.getKind(type),
                            Namespaced.class.isAssignableFrom(type), List.of("get", "patch", "update")));
                }
                if (plural.equals("pods")) {
                    resources.add(subresource("pods/log", "Pod", true, List.of("get")));
                }
                if (plural.equals("statefulsets") || plural.equals("deployments")) {
                    resources.add(subresource(plural + "/scale", "Scale", true, List.of("get", "patch", "update")));
                }
            }
        }
        for (JsonNode crd : crds) {
            JsonNode spec = crd.path("spec");
            if (!spec.path("group").asText().equals(group)) {
                continue;
            }
            for (JsonNode v : spec.path("versions")) {
                if (v.path("name").asText().equals(version) && v.path("served").asBoolean(true)) {
                    JsonNode names = spec.path("names");
                    String plural = names.path("plural").asText();
                    String kind = names.path("kind").asText();
                    boolean namespaced = "Namespaced".equals(spec.path("scope").asText());
                    resources.add(resource(plural, kind, namespaced, strings(names.path("shortNames")),
                            strings(names.path("categories"))));
                    if (v.path("subresources").has("status")) {
                        resources.add(subresource(plural + "/status", kind, namespaced, List.of("get", "patch", "update")));
                    }
                }
            }
        }
        if (resources.isEmpty()) {
            return Optional.empty();
        }
        String groupVersion = group.isEmpty() ? version : group + "/" + version;
        return Optional.of(new APIResourceListBuilder().withGroupVersion(groupVersion).withResources(resources).build());
    }

    private static APIResource resource(String plural, String kind, boolean namespaced, List<String> shortNames,
            List<String> categories) {
        return new APIResourceBuilder().withName(plural).withSingularName(kind.toLowerCase(Locale.ROOT)).withKind(kind)
                .withNamespaced(namespaced).withVerbs(VERBS).withShortNames(shortNames).withCategories(categories)
                .build();
    }

    private static APIResource subresource(String name, String kind, boolean namespaced, List<String> verbs) {
        return new APIResourceBuilder().withName(name).withSingularName("").withKind(kind).withNamespaced(namespaced)
                .withVerbs(verbs).build();
    }

    private static void addVersion(Map<String, List<String>> versionsByGroup, String group, String version) {
        List<String> versions = versionsByGroup.computeIfAbsent(group, g -> new ArrayList<>());
        if (!versions.contains(version)) {
            versions.add(version);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
