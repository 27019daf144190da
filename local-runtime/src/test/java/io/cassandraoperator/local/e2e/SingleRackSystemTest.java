package io.cassandraoperator.local.e2e;

import java.io.IOException;

/** examples/cluster.yaml: one rack, three members. */
class SingleRackSystemTest extends ExampleEndToEnd {
    SingleRackSystemTest() throws IOException {
        super("cluster.yaml");
    }
}
