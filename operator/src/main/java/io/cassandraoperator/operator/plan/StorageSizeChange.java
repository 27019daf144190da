package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.api.Names;
import io.cassandraoperator.api.RackSpec;
import io.cassandraoperator.operator.model.RackStatefulSet;
import io.cassandraoperator.operator.observe.ObservedCluster;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.Optional;

/**
 * A rack's storage size against its members' claims. A StatefulSet's volumeClaimTemplates cannot change, so a new
 * size would reach no claim and be dropped without a word: a smaller one is refused (a volume cannot shrink), and so
 * is a larger one, because the operator does not expand claims itself; the message says what to do. Claim template
 * name and storage class are refused by the schema.
 */
public final class StorageSizeChange {
    private StorageSizeChange() {
    }

    public static Optional<Refusal> check(Cluster cluster, ObservedCluster observed) {
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
                    return Optional.of(new Refusal(EventReason.StorageSizeChangeRefused, "rack '" + rack.getName() + "' asks for "
                            + wanted.get() + " of storage, but the claim of member " + member + " has " + has.get()
                            + "; a volume cannot shrink. Set the rack's storage request back to " + has.get() + " or more"));
                }
                if (comparison > 0) {
                    return Optional.of(new Refusal(EventReason.StorageSizeChangeRefused, "rack '" + rack.getName() + "' asks for "
                            + wanted.get() + " of storage, but the claim of member " + member + " has " + has.get()
                            + "; the operator does not expand existing claims (a StatefulSet's claim templates cannot change)."
                            + " Set the rack's storage request back to " + has.get()
                            + ", or, if the claims' StorageClass allows volume expansion, raise each member's claim to " + wanted.get()
                            + " yourself (kubectl patch pvc)"));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Quantity> size(PersistentVolumeClaim claim) {
        if (claim.getSpec() == null || claim.getSpec().getResources() == null || claim.getSpec().getResources().getRequests() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(claim.getSpec().getResources().getRequests().get("storage"));
    }
}
