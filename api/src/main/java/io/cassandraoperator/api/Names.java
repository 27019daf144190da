package io.cassandraoperator.api;

/** Name rules shared by the schema and the operator. */
public final class Names {
    /** RFC 1123 label, as Kubernetes requires of names that end up in object names and labels. */
    public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    private Names() {
    }

    /** Name of a member: its Pod and its member Service alike, as in Rook. */
    public static String member(String cluster, String datacenter, String rack, int ordinal) {
        return rackStatefulSet(cluster, datacenter, rack) + "-" + ordinal;
    }

    public static String rackStatefulSet(String cluster, String datacenter, String rack) {
        return cluster + "-" + datacenter + "-" + rack;
    }

    /** The Secret holding the Cassandra superuser's credentials; also the superuser role's default name. */
    public static String superuserSecret(String cluster) {
        return cluster + Contract.SuperuserSecret.SUFFIX;
    }
}
