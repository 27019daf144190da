package io.cassandraoperator.local.cli;

/** examples/cluster-multirack.yaml: three racks of one member; the ring's rack names are the spec's. */
class MultiRackEndToEndTest extends ClusterEndToEnd {
    MultiRackEndToEndTest() {
        super("cluster-multirack.yaml");
    }
}
