package io.cassandraoperator.agent.config;

/** {@code cassandra-rackdc.properties}, read by GossipingPropertyFileSnitch. */
final class RackDcProperties {
    private RackDcProperties() {
    }

    static String render(String datacenter, String rack) {
        return "dc=" + datacenter + "\n" + "rack=" + rack + "\n";
    }
}
