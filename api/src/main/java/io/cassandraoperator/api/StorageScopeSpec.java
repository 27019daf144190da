package io.cassandraoperator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;

import java.util.List;

/** Rook's storage scope; Cassandra uses the one volume claim template, {@code nodes} is accepted for compatibility only. */
// Fields a newer CRD adds must not stop an older operator: the API server prunes, this ignores.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageScopeSpec {
    @JsonPropertyDescription("Accepted for compatibility with Rook's storage scope; not used.")
    private List<StorageNode> nodes;

    @Size(min = 1, max = 1)
    @JsonPropertyDescription("The claim each member's data volume is made from: exactly one.")
    private List<PersistentVolumeClaim> volumeClaimTemplates;

    public List<StorageNode> getNodes() { return nodes; }
    public void setNodes(List<StorageNode> nodes) { this.nodes = nodes; }
    public List<PersistentVolumeClaim> getVolumeClaimTemplates() { return volumeClaimTemplates; }
    public void setVolumeClaimTemplates(List<PersistentVolumeClaim> templates) { this.volumeClaimTemplates = templates; }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class StorageNode {
        private String name;

        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
    }
}
