package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.ClusterMode;
import io.cassandraoperator.api.ClusterSpec;
import io.cassandraoperator.api.Contract.Labels;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.api.RackSpec;
import io.cassandraoperator.api.VersionNumber;
import io.cassandraoperator.operator.observe.ObservedCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Spec changes that would lose data or cannot work, judged against the objects that exist (not against memory of an
 * earlier spec), so a restarted operator judges the same way.
 */
public final class ChangeRefusal {
    public static final int DEFAULT_REPLICATION_FACTOR = 3;

    private ChangeRefusal() {
    }

    /**
     * @param existing the Cluster's StatefulSets
     * @param pods     its member pods by name: what they run decides which version the data has ({@link DataVersion})
     */
    public static Optional<Refusal> check(Cluster cluster, Collection<StatefulSet> existing, Map<String, Pod> pods) {
        ClusterSpec spec = cluster.getSpec();
        if (spec.getMode() == ClusterMode.SCYLLA) {
            return refuse(EventReason.UnsupportedMode, "mode 'scylla' is not supported; use mode: cassandra");
        }
        VersionNumber version;
        try {
            version = VersionNumber.parse(spec.getVersion());
        } catch (IllegalArgumentException e) {
            return refuse(EventReason.InvalidSpec, e.getMessage());
        }
        for (RackSpec rack : spec.getDatacenter().getRacks()) {
            if (rack.getMembers() == null || rack.getMembers() < 0) {
                return refuse(EventReason.InvalidSpec, "rack '" + rack.getName() + "' needs members: 0 or more");
            }
            if (rack.getStorage() == null || rack.getStorage().getVolumeClaimTemplates() == null
                    || rack.getStorage().getVolumeClaimTemplates().size() != 1
                    || rack.getStorage().getVolumeClaimTemplates().get(0).getMetadata() == null
                    || rack.getStorage().getVolumeClaimTemplates().get(0).getMetadata().getName() == null) {
                return refuse(EventReason.InvalidSpec, "rack '" + rack.getName() + "' needs exactly one named storage.volumeClaimTemplates entry");
            }
        }
        String datacenter = spec.getDatacenter().getName();
        for (StatefulSet statefulSet : existing) {
            String existingDatacenter = labels(statefulSet).get(Labels.DATACENTER);
            if (existingDatacenter != null && !existingDatacenter.equals(datacenter)) {
                return refuse(EventReason.DatacenterRenameRefused, "the datacenter is '" + existingDatacenter + "' on StatefulSet "
                        + statefulSet.getMetadata().getName() + "; renaming it to '" + datacenter
                        + "' is not possible: Cassandra keeps data and replication per datacenter name. Set datacenter.name back to '"
                        + existingDatacenter + "'");
            }
        }
        Optional<VersionNumber> dataVersion = DataVersion.floor(cluster, existing, pods);
        if (dataVersion.isPresent() && dataVersion.get().compareTo(version) > 0) {
            return refuse(EventReason.VersionDowngradeRefused, "the members' data was written by Cassandra " + dataVersion.get()
                    + "; going down to " + version + " is not supported (sstables and system tables may not be readable by an older release)."
                    + " Set version back to " + dataVersion.get() + " or higher");
        }
        Set<String> racks = spec.getDatacenter().getRacks().stream().map(RackSpec::getName).collect(Collectors.toSet());
        for (StatefulSet statefulSet : existing) {
            String rack = labels(statefulSet).get(Labels.RACK);
            int replicas = ObservedCluster.replicas(statefulSet);
            if (rack != null && !racks.contains(rack) && replicas > 0) {
                return refuse(EventReason.RackRemovalRefused, "rack '" + rack + "' left the spec but still has " + replicas
                        + " member(s); removing them at once would lose their data. Put the rack back with members: 0, "
                        + "let its members be decommissioned one by one, then remove it");
            }
        }
        int current = existing.stream().mapToInt(ObservedCluster::replicas).sum();
        int desired = spec.getDatacenter().getRacks().stream().mapToInt(r -> r.getMembers() == null ? 0 : r.getMembers()).sum();
        int replicationFactor = replicationFactor(cluster);
        if (desired < current && desired < replicationFactor) {
            return refuse(EventReason.ScaleDownBelowReplicationFactor, "datacenter '" + datacenter + "' has " + current
                    + " members; going down to " + desired + " would leave fewer members than the replication factor "
                    + replicationFactor + " and lose data (Cassandra refuses it too). Keep at least " + replicationFactor
                    + " members, or lower datacenter.replicationFactor after lowering the keyspaces' replication");
        }
        return Optional.empty();
    }

    public static int replicationFactor(Cluster cluster) {
        Integer rf = cluster.getSpec().getDatacenter().getReplicationFactor();
        return rf == null ? DEFAULT_REPLICATION_FACTOR : rf;
    }

    private static Map<String, String> labels(StatefulSet statefulSet) {
        return statefulSet.getMetadata().getLabels() == null ? Map.of() : statefulSet.getMetadata().getLabels();
    }

    private static Optional<Refusal> refuse(EventReason reason, String message) {
        return Optional.of(new Refusal(reason, message));
    }
}
