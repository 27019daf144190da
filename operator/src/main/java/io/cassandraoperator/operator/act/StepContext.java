package io.cassandraoperator.operator.act;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.operator.observe.MemberRecords;
import io.cassandraoperator.operator.observe.ObservedCluster;
import io.fabric8.kubernetes.api.model.Service;

/**
 * What every step of one reconcile shares: the Cluster, what was observed of it, its member records, and the
 * writers (objects, Events, agents) through which the step acts.
 */
record StepContext(Cluster cluster, ObservedCluster observed, MemberRecords records, ChildWriter writer, ClusterEvents events,
                   AgentOperation agents) {

    Service service(String member) {
        return observed.services().get(member);
    }

    /** {@code namespace/name}, as the log lines name the Cluster. */
    String clusterName() {
        return cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName();
    }
}
