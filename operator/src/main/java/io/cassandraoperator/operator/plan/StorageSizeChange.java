package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.api.Names;
import io.cassandraoperator.api.RackSpec;
import io.cassandraoperator.operator.model.RackStatefulSet;
import io.cassandraoperator.operator.observe.ObservedCluster;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A rack's storage size against its members' claims. A StatefulSet's volumeClaimTemplates cannot change, so a new
 * size would reach no claim and be dropped without a word. A larger size is written to each member's claim when the
 * claim's StorageClass allows volume expansion (Kubernetes then grows the volume, online for most drivers); it is
 * refused when the class does not or is unknown, and a smaller one always is (a volume cannot shrink), each with a
 * message that says what to do. Claim template name and storage class are refused by the schema.
 */
public final class StorageSizeChange {
    private StorageSizeChange() {
    }

    /** One member's claim to raise to the rack's storage request. */
    public record ClaimExpansion(PersistentVolumeClaim claim, Quantity size, String storageClass) {
    }

    /** A refusal (nothing is written then), or the claims to expand (none when every claim has the rack's size). */
    public record Decision(Optional<Refusal> refusal, List<ClaimExpansion> expansions) {
    }

    public static Decision decide(Cluster cluster, ObservedCluster observed) {
        List<ClaimExpansion> expansions = new ArrayList<>();
        for (RackSpec rack : cluster.getSpec().getDatacenter().getRacks()) {
            PersistentVolumeClaim template = RackStatefulSet.claimTemplate(rack);
            Optional<Quantity> wanted = size(template);
            if (wanted.isEmpty()) {
                continue;
            }
            String statefulSet = RackStatefulSet.name(cluster, rack.getName());
            for (int ordinal = 0; ordinal < observed.replicas(statefulSet); ordinal++) {
                String member = Names.member(cluster.getMetadata().getName(), cluster.getSpec().getDatacenter().getName(), rack.getName(), ordinal);
                PersistentVolumeClaim claim = observed.claims().get(template.getMetadata().getName() + "-" + member);
                Optional<Quantity> has = claim == null ? Optional.empty() : size(claim);
                if (has.isEmpty()) {
                    continue;
                }
                int comparison = Quantity.getAmountInBytes(wanted.get()).compareTo(Quantity.getAmountInBytes(has.get()));
                if (comparison < 0) {
                    return refused("rack '" + rack.getName() + "' asks for " + wanted.get() + " of storage, but the claim of member "
                            + member + " has " + has.get() + "; a volume cannot shrink. Set the rack's storage request back to "
                            + has.get() + " or more");
                }
                if (comparison > 0) {
                    String className = claim.getSpec().getStorageClassName();
                    StorageClass storageClass = className == null ? null : observed.storageClasses().get(className);
                    if (storageClass == null || !Boolean.TRUE.equals(storageClass.getAllowVolumeExpansion())) {
                        return refused("rack '" + rack.getName() + "' asks for " + wanted.get() + " of storage, but the claim of member "
                                + member + " has " + has.get() + " and its StorageClass "
                                + (className == null ? "(none named)" : "'" + className + "'")
                                + (storageClass == null ? " is not known to the operator" : " does not allow volume expansion")
                                + ", so the claim cannot grow (a StatefulSet's claim templates cannot change). Set the rack's storage"
                                + " request back to " + has.get() + ", or use a StorageClass with allowVolumeExpansion: true");
                    }
                    expansions.add(new ClaimExpansion(claim, wanted.get(), className));
                }
            }
        }
        return new Decision(Optional.empty(), List.copyOf(expansions));
    }

    private static Decision refused(String message) {
        return new Decision(Optional.of(new Refusal(EventReason.StorageSizeChangeRefused, message)), List.of());
    }

    private static Optional<Quantity> size(PersistentVolumeClaim claim) {
        if (claim.getSpec() == null || claim.getSpec().getResources() == null || claim.getSpec().getResources().getRequests() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(claim.getSpec().getResources().getRequests().get("storage"));
    }
}
