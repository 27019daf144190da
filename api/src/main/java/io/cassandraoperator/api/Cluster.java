package io.cassandraoperator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A Cassandra cluster: the custom resource of Rook's Cassandra operator ({@code cassandra.rook.io/v1alpha1},
 * kind {@code Cluster}), kept wire-compatible so Rook users can move their manifests over unchanged.
 */
@Group(Cluster.GROUP)
@Version(Cluster.VERSION)
@Kind("Cluster")
@Plural("clusters")
@Singular("cluster")
@AdditionalPrinterColumn(name = "Version", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.version")
@AdditionalPrinterColumn(name = "Datacenter", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.datacenter.name")
@AdditionalPrinterColumn(name = "Members", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.members")
@AdditionalPrinterColumn(name = "Ready-Members", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.readyMembers")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Updated", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.updatedMembers")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
@ValidationRule(value = VersionNumber.NOT_DOWNGRADED_RULE,
        message = "version may not go down: Cassandra cannot downgrade its data files; pick this version or a newer one,"
                + " or status.dataVersion (the newest version that ran on the members' data) when the new one never ran")
@ValidationRule(value = Names.CLUSTER_NAME_RULE,
        message = "the Cluster's name must start with a lower-case letter and contain only lower-case letters, digits and '-'"
                + " (a DNS-1035 label): it begins the name of every member Service")
@ValidationRule(value = Names.GENERATED_NAMES_RULE,
        message = "cluster name, datacenter name and rack name together are too long: each StatefulSet is named"
                + " <cluster>-<datacenter>-<rack>, at most 52 characters (its pods' controller-revision-hash label adds 11"
                + " and a label value holds 63); shorten one of them")
public class Cluster extends CustomResource<ClusterSpec, ClusterStatus> implements Namespaced {
    public static final String GROUP = "cassandra.rook.io";
    public static final String VERSION = "v1alpha1";
    public static final String CRD_NAME = "clusters." + GROUP;

    /** A new Cluster has no status until the operator writes one. */
    @Override
    protected ClusterStatus initStatus() {
        return null;
    }
}
