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
 * One backup of one Cluster to object storage: every member snapshots under one tag and uploads the snapshot's files
 * content-addressed (a file an earlier backup stored is referenced, not uploaded again) with a manifest per member.
 */
@Group(Cluster.GROUP)
@Version(Cluster.VERSION)
@Kind("Backup")
@Plural("backups")
@Singular("backup")
@AdditionalPrinterColumn(name = "Cluster", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.cluster")
@AdditionalPrinterColumn(name = "Phase", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Files", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.files")
@AdditionalPrinterColumn(name = "Bytes-Uploaded", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.bytesUploaded")
@AdditionalPrinterColumn(name = "Bytes-Referenced", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.bytesReferenced")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class Backup extends CustomResource<BackupSpec, BackupStatus> implements Namespaced {
    public static final String CRD_NAME = "backups." + Cluster.GROUP;

    /** A new Backup has no status until the operator writes one. */
    @Override
    protected BackupStatus initStatus() {
        return null;
    }
}
