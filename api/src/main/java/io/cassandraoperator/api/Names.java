package io.cassandraoperator.api;

/** Name rules shared by the schema and the operator. */
public final class Names {
    /** RFC 1123 label, as Kubernetes requires of names that end up in object names and labels. */
    public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    /** RFC 1035 label: Service names must also start with a letter. */
    public static final String DNS_1035_LABEL = "^[a-z]([-a-z0-9]*[a-z0-9])?$";
    /**
     * Longest {@code <cluster>-<datacenter>-<rack>}: the StatefulSet controller labels pods with
     * {@code controller-revision-hash: <statefulset>-<10-character hash>}, a label value of at most 63 characters.
     * Member names ({@code <statefulset>-<ordinal>}, ordinal below 1000) stay under 63 with it.
     */
    public static final int MAX_STATEFUL_SET_NAME = 63 - 1 - 10;
    /** CEL on the Cluster's root: the cluster name starts every member Service's name, so it must be a DNS-1035 label. */
    public static final String CLUSTER_NAME_RULE = "self.metadata.name.matches('" + DNS_1035_LABEL + "')";
    /** CEL on the Cluster's root: every rack's StatefulSet name fits {@link #MAX_STATEFUL_SET_NAME}. */
    public static final String GENERATED_NAMES_RULE = "self.spec.datacenter.racks.all(r,"
            + " size(self.metadata.name) + size(self.spec.datacenter.name) + size(r.name) + 2 <= " + MAX_STATEFUL_SET_NAME + ")";

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
