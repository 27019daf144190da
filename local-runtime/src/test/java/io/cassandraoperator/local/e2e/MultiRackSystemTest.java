package io.cassandraoperator.local.e2e;

import java.io.IOException;

/** examples/cluster-multirack.yaml: three racks of one member; the ring's rack names are the spec's. */
class MultiRackSystemTest extends ExampleEndToEnd {
    MultiRackSystemTest() throws IOException {
        super("cluster-multirack.yaml");
    }
}
