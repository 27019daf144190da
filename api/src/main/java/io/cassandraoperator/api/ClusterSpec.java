package io.cassandraoperator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.Map;

// Fields a newer CRD adds must not stop an older operator: the API server prunes, this ignores.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.mode) || self.mode == 'cassandra'",
        message = "mode 'scylla' is not supported yet; use mode: cassandra")
public class ClusterSpec {
    @Required
    @Pattern(VersionNumber.PATTERN)
    @Size(max = 14)
    @JsonPropertyDescription("Version of Cassandra to run, e.g. 5.0.8. It may go up (rolling, one member at a time), never down,"
            + " except back to status.dataVersion when a new version never ran (an image that does not exist).")
    private String version;

    @JsonPropertyDescription("Image repository of the Cassandra image (with the member agent); the image is repository:version.")
    private String repository;

    @JsonPropertyDescription("Operating mode; only 'cassandra' is supported.")
    private ClusterMode mode;

    @JsonPropertyDescription("Annotations added to every Pod of the cluster.")
    private Map<String, String> annotations;

    @JsonPropertyDescription("Image of the member agent, when it is shipped separately from the Cassandra image.")
    private ImageSpec sidecarImage;

    @Required
    @JsonPropertyDescription("The datacenter this cluster runs.")
    private DatacenterSpec datacenter;

    @JsonPropertyDescription("What happens to the members' volumes when the Cluster is deleted. Data is kept unless whenDeleted is Delete.")
    private VolumeClaimRetentionPolicy persistentVolumeClaimRetentionPolicy;

    @JsonPropertyDescription("Run nodetool cleanup on the members that were there before, one at a time, after a scale-out (default true).")
    private Boolean cleanupAfterScaleOut;

    @JsonPropertyDescription("What happens when the Node a member's local volume is pinned to is gone: replace the member after a grace period (the default), or only report it.")
    private NodeLossSpec nodeLoss;

    @JsonPropertyDescription("Encryption of internode and client traffic with certificates from a cluster CA the operator generates.")
    private TlsSpec tls;

    @Size(max = 256)
    @JsonPropertyDescription("Free text; changing it restarts every member, one rack and one member at a time, like any rolling"
            + " change (as Scylla Operator's forceRedeploymentReason). Say why, e.g. 'rotate keystore 2026-12-01': the text is"
            + " the restart's recorded reason (Event RollingRestart, reason Forced).")
    private String forceRedeploymentReason;

    public String getVersion() { return version; }
    public void setVersion(String version) { this.version = version; }
    public String getRepository() { return repository; }
    public void setRepository(String repository) { this.repository = repository; }
    public ClusterMode getMode() { return mode; }
    public void setMode(ClusterMode mode) { this.mode = mode; }
    public Map<String, String> getAnnotations() { return annotations; }
    public void setAnnotations(Map<String, String> annotations) { this.annotations = annotations; }
    public ImageSpec getSidecarImage() { return sidecarImage; }
    public void setSidecarImage(ImageSpec sidecarImage) { this.sidecarImage = sidecarImage; }
    public DatacenterSpec getDatacenter() { return datacenter; }
    public void setDatacenter(DatacenterSpec datacenter) { this.datacenter = datacenter; }
    public VolumeClaimRetentionPolicy getPersistentVolumeClaimRetentionPolicy() { return persistentVolumeClaimRetentionPolicy; }
    public Boolean getCleanupAfterScaleOut() { return cleanupAfterScaleOut; }
    public void setCleanupAfterScaleOut(Boolean cleanupAfterScaleOut) { this.cleanupAfterScaleOut = cleanupAfterScaleOut; }
    public String getForceRedeploymentReason() { return forceRedeploymentReason; }
    public void setForceRedeploymentReason(String reason) { this.forceRedeploymentReason = reason; }
    public NodeLossSpec getNodeLoss() { return nodeLoss; }
    public void setNodeLoss(NodeLossSpec nodeLoss) { this.nodeLoss = nodeLoss; }
    public TlsSpec getTls() { return tls; }
    public void setTls(TlsSpec tls) { this.tls = tls; }
    public void setPersistentVolumeClaimRetentionPolicy(VolumeClaimRetentionPolicy policy) { this.persistentVolumeClaimRetentionPolicy = policy; }
}
