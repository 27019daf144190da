package io.cassandraoperator.local.e2e;

import java.io.IOException;

/** examples/cluster.yaml: one rack, three members. */
class SingleRackEndToEndTest extends ExampleEndToEnd {
    SingleRackEndToEndTest() throws IOException {
        super("cluster.yaml");
    }
}
