package io.cassandraoperator.local.cli;

/** examples/cluster.yaml: one rack, three members. */
class SingleRackEndToEndTest extends ClusterEndToEnd {
    SingleRackEndToEndTest() {
        super("cluster.yaml");
    }
}
