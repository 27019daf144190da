package io.cassandraoperator.local.e2e;

import java.io.IOException;

/** examples/cluster-multirack.yaml: three racks of one member; the ring's rack names are the spec's. */
class MultiRackEndToEndTest extends ExampleEndToEnd {
    MultiRackEndToEndTest() throws IOException {
        super("cluster-multirack.yaml");
    }
}
