package io.cassandraoperator.operator.model;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.ClusterSpec;
import io.cassandraoperator.api.Contract.Env;
import io.cassandraoperator.api.Contract.Paths;
import io.cassandraoperator.api.Contract.Ports;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.Names;
import io.cassandraoperator.api.Placement;
import io.cassandraoperator.api.RackSpec;
import io.cassandraoperator.api.TlsSpec;
import io.cassandraoperator.api.VolumeClaimRetentionPolicy;
import io.cassandraoperator.operator.plan.ChangeRefusal;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The StatefulSet of one rack: the pod contract of docs/architecture.md. A pure function of the Cluster and replicas. */
public final class RackStatefulSet {
    public static final String DEFAULT_REPOSITORY = "cassandra-operator/cassandra";
    public static final String CONTAINER = "cassandra";
    public static final String MEMBERS_VOLUME = "members";
    public static final String USER_CONFIG_VOLUME = "user-config";
    public static final String METRICS_CONFIG_VOLUME = "metrics-config";
    public static final String TMP_VOLUME = "tmp";
    /** The members' TLS Secret ({@link MemberTlsSecret}); its presence in a template says the members run with TLS. */
    public static final String TLS_VOLUME = "tls";
    private static final String RETAIN = "Retain";
    /** The user of the Cassandra image (agent/pom.xml, Jib profile); fsGroup makes the data volume writable for it. */
    public static final long CASSANDRA_USER = 999;
    /** Long enough for the agent to drain Cassandra (flush memtables) before the kubelet kills it. */
    public static final long TERMINATION_GRACE_SECONDS = 120;

    private RackStatefulSet() {
    }

    public static String name(Cluster cluster, String rack) {
        return Names.rackStatefulSet(cluster.getMetadata().getName(), cluster.getSpec().getDatacenter().getName(), rack);
    }

    public static String image(ClusterSpec spec) {
        String repository = spec.getRepository() == null || spec.getRepository().isBlank() ? DEFAULT_REPOSITORY : spec.getRepository();
        return repository + ":" + spec.getVersion();
    }

    /** The claim template of the rack (validated to exist by the plan's ChangeRefusal). */
    public static PersistentVolumeClaim claimTemplate(RackSpec rack) {
        return rack.getStorage().getVolumeClaimTemplates().get(0);
    }

    /** The StatefulSet of a new Cluster's rack (TLS unless the spec turns it off), its ConfigMap's contents not carried. */
    public static StatefulSet build(Cluster cluster, RackSpec rack, int replicas) {
        return build(cluster, rack, replicas, TlsSettings.fromSpec(cluster.getSpec().getTls()), RackConfigDigest.NONE);
    }

    /** Whether a rack's template mounts the members' TLS Secret. */
    public static boolean mountsTls(StatefulSet statefulSet) {
        var template = statefulSet.getSpec() == null || statefulSet.getSpec().getTemplate() == null ? null
                : statefulSet.getSpec().getTemplate().getSpec();
        return template != null && template.getVolumes() != null
                && template.getVolumes().stream().anyMatch(v -> TLS_VOLUME.equals(v.getName()));
    }

    public static StatefulSet build(Cluster cluster, RackSpec rack, int replicas, TlsSettings tls) {
        return build(cluster, rack, replicas, tls, RackConfigDigest.NONE);
    }

    public static StatefulSet build(Cluster cluster, RackSpec rack, int replicas, RackConfigDigest config) {
        return build(cluster, rack, replicas, TlsSettings.fromSpec(cluster.getSpec().getTls()), config);
    }

    /** @param config what of the rack's ConfigMap the template carries, so that a change of it rolls the rack */
    public static StatefulSet build(Cluster cluster, RackSpec rack, int replicas, TlsSettings tls, RackConfigDigest config) {
        ClusterSpec spec = cluster.getSpec();
        Map<String, String> labels = ClusterLabels.rack(cluster, rack.getName());
        ObjectMeta metadata = ChildMetadata.of(cluster, name(cluster, rack.getName()), labels);
        PersistentVolumeClaim template = claimTemplate(rack);
        StatefulSet statefulSet = new StatefulSetBuilder()
                .withMetadata(metadata)
                .withNewSpec()
                    .withReplicas(replicas)
                    .withServiceName(ClientService.name(cluster))
                    .withPodManagementPolicy("OrderedReady")
                    .withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy()
                    .withNewSelector().withMatchLabels(ClusterLabels.rackSelector(cluster, rack.getName())).endSelector()
                    .withNewPersistentVolumeClaimRetentionPolicy()
                        // No StatefulSet ever owns a claim, so deleting one by hand never deletes data: scale-down
                        // removes a decommissioned member's claim itself, only after Cassandra let it go, and a
                        // Cluster deleted with whenDeleted: Delete has its claims deleted by the operator
                        // (act.ClusterDeletion) once the pods are gone.
                        .withWhenScaled(RETAIN)
                        .withWhenDeleted(RETAIN)
                    .endPersistentVolumeClaimRetentionPolicy()
                    .withVolumeClaimTemplates(new PersistentVolumeClaimBuilder(template)
                            .editOrNewMetadata().addToLabels(labels).endMetadata()
                            .build())
                    .withNewTemplate()
                        .withNewMetadata()
                            .withLabels(labels)
                            .withAnnotations(podAnnotations(spec, rack, config))
                        .endMetadata()
                        .withNewSpec()
                            .withTerminationGracePeriodSeconds(TERMINATION_GRACE_SECONDS)
                            // Member agents need no Kubernetes API rights: the operator calls them.
                            .withAutomountServiceAccountToken(false)
                            .withNewSecurityContext()
                                .withRunAsNonRoot(true)
                                .withRunAsUser(CASSANDRA_USER)
                                .withRunAsGroup(CASSANDRA_USER)
                                .withFsGroup(CASSANDRA_USER)
                                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                            .endSecurityContext()
                            .withAffinity(affinity(rack.getPlacement()))
                            .withTolerations(rack.getPlacement() == null ? null : rack.getPlacement().getTolerations())
                            .withTopologySpreadConstraints(rack.getPlacement() == null ? null : rack.getPlacement().getTopologySpreadConstraints())
                            .withContainers(container(cluster, rack, template.getMetadata().getName(), tls))
                            .withVolumes(volumes(cluster, rack, tls))
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
        // A mutable map: the writer adds the desired hash to it.
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(Contract.Annotations.VERSION, spec.getVersion());
        annotations.put(Contract.Annotations.TEMPLATE_HASH, DesiredHash.ofPart(statefulSet.getSpec().getTemplate(), "pod template of " + metadata.getName()));
        statefulSet.getMetadata().setAnnotations(annotations);
        return statefulSet;
    }

    /** Whether deleting the Cluster deletes its claims (and then its member Services and Secrets) too. */
    public static boolean deletesDataWithCluster(ClusterSpec spec) {
        VolumeClaimRetentionPolicy policy = spec.getPersistentVolumeClaimRetentionPolicy();
        return policy != null && policy.getWhenDeleted() == VolumeClaimRetentionPolicy.Policy.DELETE;
    }

    /**
     * The user's annotations, then what decides a restart. Each of the operator's is left out when unused, so that a
     * cluster that uses none keeps the template an older operator wrote (no restart on an operator upgrade).
     */
    private static Map<String, String> podAnnotations(ClusterSpec spec, RackSpec rack, RackConfigDigest config) {
        Map<String, String> annotations = new LinkedHashMap<>();
        if (spec.getAnnotations() != null) {
            annotations.putAll(spec.getAnnotations());
        }
        if (rack.getAnnotations() != null) {
            annotations.putAll(rack.getAnnotations());
        }
        if (config.configHash() != null) {
            annotations.put(Contract.Annotations.CONFIG_HASH, config.configHash());
        }
        if (config.jvmOptionsHash() != null) {
            annotations.put(Contract.Annotations.JVM_OPTIONS_HASH, config.jvmOptionsHash());
        }
        if (spec.getForceRedeploymentReason() != null && !spec.getForceRedeploymentReason().isEmpty()) {
            annotations.put(Contract.Annotations.FORCE_REDEPLOYMENT_REASON, spec.getForceRedeploymentReason());
        }
        return annotations.isEmpty() ? null : annotations;
    }

    private static Affinity affinity(Placement placement) {
        if (placement == null || (placement.getNodeAffinity() == null && placement.getPodAffinity() == null
                && placement.getPodAntiAffinity() == null)) {
            return null;
        }
        return new AffinityBuilder()
                .withNodeAffinity(placement.getNodeAffinity())
                .withPodAffinity(placement.getPodAffinity())
                .withPodAntiAffinity(placement.getPodAntiAffinity())
                .build();
    }

    private static Container container(Cluster cluster, RackSpec rack, String dataVolume, TlsSettings tls) {
        return new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(image(cluster.getSpec()))
                .withEnv(env(cluster, rack, tls))
                .withPorts(
                        new ContainerPortBuilder().withName("cql").withContainerPort(Ports.CQL).build(),
                        new ContainerPortBuilder().withName("intra-node").withContainerPort(Ports.INTRA_NODE).build(),
                        new ContainerPortBuilder().withName("agent").withContainerPort(Ports.AGENT).build(),
                        new ContainerPortBuilder().withName("metrics").withContainerPort(Ports.METRICS).build())
                .withNewSecurityContext()
                    .withAllowPrivilegeEscalation(false)
                    .withReadOnlyRootFilesystem(true)
                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                // Members join one at a time, each gated on the previous one's readiness: the probe period is paid on
                // every join (bench: 2.5 s on average per member at 5 s). Every second, with the same 15 s to unready.
                .withReadinessProbe(probe(Contract.AgentApi.READINESS, 1, 15))
                .withLivenessProbe(probe(Contract.AgentApi.LIVENESS, 10, 6))
                .withResources(rack.getResources())
                .withVolumeMounts(mounts(rack, dataVolume, tls))
                .build();
    }

    private static List<VolumeMount> mounts(RackSpec rack, String dataVolume, TlsSettings tls) {
        List<VolumeMount> mounts = new ArrayList<>(List.of(
                new VolumeMountBuilder().withName(dataVolume).withMountPath(Paths.DATA).build(),
                new VolumeMountBuilder().withName(MEMBERS_VOLUME).withMountPath(Paths.MEMBERS).withReadOnly(true).build(),
                new VolumeMountBuilder().withName(USER_CONFIG_VOLUME).withMountPath(Paths.USER_CONFIG).withReadOnly(true).build(),
                // The root filesystem is read-only; Cassandra and the JVM extract native libraries to /tmp.
                new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath("/tmp").build()));
        if (rack.getJmxExporterConfigMapName() != null) {
            mounts.add(new VolumeMountBuilder().withName(METRICS_CONFIG_VOLUME).withMountPath(Paths.METRICS_CONFIG).withReadOnly(true).build());
        }
        if (tls.enabled()) {
            mounts.add(new VolumeMountBuilder().withName(TLS_VOLUME).withMountPath(Paths.TLS).withReadOnly(true).build());
        }
        return mounts;
    }

    private static Probe probe(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(path).withPort(new IntOrString("agent")).endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withFailureThreshold(failureThreshold)
                .build();
    }

    private static List<EnvVar> env(Cluster cluster, RackSpec rack, TlsSettings tls) {
        List<EnvVar> env = new ArrayList<>();
        env.add(fieldRef(Env.POD_NAME, "metadata.name"));
        env.add(fieldRef(Env.POD_NAMESPACE, "metadata.namespace"));
        env.add(fieldRef(Env.POD_IP, "status.podIP"));
        env.add(value(Env.CLUSTER_NAME, cluster.getMetadata().getName()));
        env.add(value(Env.DATACENTER, cluster.getSpec().getDatacenter().getName()));
        env.add(value(Env.RACK, rack.getName()));
        env.add(value(Env.MEMBERS_DIR, Paths.MEMBERS));
        env.add(value(Env.USER_CONFIG_DIR, Paths.USER_CONFIG));
        env.add(value(Env.DATA_DIR, Paths.DATA));
        env.add(value(Env.MAX_HEAP, MaxHeap.of(rack.getResources())));
        if (rack.getJmxExporterConfigMapName() != null) {
            env.add(value(Env.METRICS_CONFIG_DIR, Paths.METRICS_CONFIG));
        }
        env.add(new EnvVarBuilder().withName(Env.AGENT_TOKEN).withNewValueFrom().withNewSecretKeyRef()
                .withName(AgentTokenSecret.name(cluster)).withKey(Contract.AgentSecret.TOKEN)
                .endSecretKeyRef().endValueFrom().build());
        env.add(secretKeyRef(Env.SUPERUSER_USERNAME, SuperuserSecret.name(cluster), Contract.SuperuserSecret.USERNAME));
        env.add(secretKeyRef(Env.SUPERUSER_PASSWORD, SuperuserSecret.name(cluster), Contract.SuperuserSecret.PASSWORD));
        if (tls.enabled()) {
            env.add(value(Env.TLS_DIR, Paths.TLS));
            env.add(value(Env.CLIENT_TLS, tls.client() == TlsSpec.ClientPolicy.OPTIONAL ? "optional" : "required"));
        }
        return env;
    }

    private static EnvVar value(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static EnvVar secretKeyRef(String name, String secret, String key) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef()
                .withName(secret).withKey(key).endSecretKeyRef().endValueFrom().build();
    }

    private static EnvVar fieldRef(String name, String path) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef().withFieldPath(path).endFieldRef().endValueFrom().build();
    }

    private static List<Volume> volumes(Cluster cluster, RackSpec rack, TlsSettings tls) {
        Volume members = new VolumeBuilder().withName(MEMBERS_VOLUME)
                .withNewConfigMap().withName(MembersConfigMap.name(cluster)).endConfigMap().build();
        // Without a user ConfigMap the agent still finds the directory, empty.
        Volume user = rack.getConfigMapName() == null
                ? new VolumeBuilder().withName(USER_CONFIG_VOLUME).withNewEmptyDir().endEmptyDir().build()
                : new VolumeBuilder().withName(USER_CONFIG_VOLUME)
                        .withNewConfigMap().withName(rack.getConfigMapName()).endConfigMap().build();
        List<Volume> volumes = new ArrayList<>(List.of(members, user,
                new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().build()));
        if (rack.getJmxExporterConfigMapName() != null) {
            volumes.add(new VolumeBuilder().withName(METRICS_CONFIG_VOLUME)
                    .withNewConfigMap().withName(rack.getJmxExporterConfigMapName()).endConfigMap().build());
        }
        if (tls.enabled()) {
            // Owner and group (fsGroup) only: the keys are in it. A pod waits for the Secret, which the operator writes with the member's
            // certificate before the member's pod is created.
            volumes.add(new VolumeBuilder().withName(TLS_VOLUME)
                    .withNewSecret().withSecretName(MemberTlsSecret.name(cluster)).withDefaultMode(0440).endSecret().build());
        }
        return volumes;
    }
}
