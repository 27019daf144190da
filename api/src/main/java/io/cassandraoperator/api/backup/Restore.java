package io.cassandraoperator.api.backup;

import io.cassandraoperator.api.Cluster;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A restore of a Backup. In place: the chosen tables of the backed-up Cluster get the backup's files back, loaded by
 * Cassandra's own import on every member while the cluster serves; no member restarts.
 */
@Group(Cluster.GROUP)
@Version(Cluster.VERSION)
@Kind("Restore")
@Plural("restores")
@Singular("restore")
@AdditionalPrinterColumn(name = "Backup", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.backup")
@AdditionalPrinterColumn(name = "Mode", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.mode")
@AdditionalPrinterColumn(name = "Phase", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Files", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.files")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class Restore extends CustomResource<RestoreSpec, RestoreStatus> implements Namespaced {
    public static final String CRD_NAME = "restores." + Cluster.GROUP;

    @Override
    protected RestoreStatus initStatus() {
        return null;
    }
}
