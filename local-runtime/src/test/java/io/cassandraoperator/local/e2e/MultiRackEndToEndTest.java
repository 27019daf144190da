package io.cassandraoperator.local.e2e;

/** examples/cluster-multirack.yaml: three racks of one member; the ring's rack names are the spec's. */
class MultiRackEndToEndTest extends ExampleEndToEnd {
    MultiRackEndToEndTest() {
        super("cluster-multirack.yaml");
    }
}
