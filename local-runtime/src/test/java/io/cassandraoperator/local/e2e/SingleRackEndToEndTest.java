package io.cassandraoperator.local.e2e;

/** examples/cluster.yaml: one rack, three members. */
class SingleRackEndToEndTest extends ExampleEndToEnd {
    SingleRackEndToEndTest() {
        super("cluster.yaml");
    }
}
