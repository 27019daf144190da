package io.cassandraoperator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
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
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
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
