package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.operator.observe.MemberRecords;
import io.cassandraoperator.operator.observe.ObservedCluster;

import java.util.Optional;

/**
 * Why a member must not be replaced on an empty disk, whatever the cause: the replacement gives its claim up and streams
 * its ranges from the other replicas, so it needs another copy of every range. With a replication factor below 2 the
 * member may hold the only copy; with fewer than two other members ready there may be no other copy that can be read.
 */
public final class ReplacementRefusal {
    static final int MINIMUM_OTHERS_READY = 2;

    private ReplacementRefusal() {
    }

    public static Optional<String> check(Cluster cluster, ObservedCluster observed, MemberRecords records, String member) {
        int replicationFactor = ChangeRefusal.replicationFactor(cluster);
        if (replicationFactor < 2) {
            return Optional.of("datacenter.replicationFactor is " + replicationFactor + ": member " + member
                    + " may hold the only copy of its data, and replacing it on an empty disk would lose it. Nothing is touched; "
                    + "raise the keyspaces' replication and datacenter.replicationFactor to 2 or more, or bring its disk back");
        }
        long othersReady = records.members().stream()
                .filter(m -> !m.name().equals(member) && observed.ready(m.name())).count();
        if (othersReady < MINIMUM_OTHERS_READY) {
            return Optional.of("only " + othersReady + " other member(s) are ready: a replacement of member " + member
                    + " needs at least " + MINIMUM_OTHERS_READY + " other members ready to hold and stream its data. Nothing is "
                    + "touched; it starts once " + MINIMUM_OTHERS_READY + " other members are ready");
        }
        return Optional.empty();
    }
}
