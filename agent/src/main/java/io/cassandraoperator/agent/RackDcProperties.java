package io.cassandraoperator.agent;

/** {@code cassandra-rackdc.properties}, read by GossipingPropertyFileSnitch. */
public final class RackDcProperties {
    private RackDcProperties() {
    }

    public static String render(String datacenter, String rack) {
        return "dc=" + datacenter + "\n" + "rack=" + rack + "\n";
    }
}
