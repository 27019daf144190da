package io.cassandraoperator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

import java.util.Map;

// Fields a newer CRD adds must not stop an older operator: the API server prunes, this ignores.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RackSpec {
    @Required
    @Pattern(Names.DNS_LABEL)
    @Size(min = 1, max = 63)
    @JsonPropertyDescription("Name of the Cassandra rack (cassandra-rackdc.properties).")
    private String name;

    @Required
    @Min(0)
    @Max(1000)
    @JsonPropertyDescription("Number of Cassandra members in this rack.")
    private Integer members;

    @JsonPropertyDescription("ConfigMap whose keys override the generated configuration: key cassandra.yaml (a fragment merged"
            + " over the operator's), key jvm.options (JVM options, one per line, # comments). A change of its contents"
            + " rolls the rack, one member at a time.")
    private String configMapName;

    @JsonPropertyDescription("ConfigMap with the Prometheus JMX exporter configuration.")
    private String jmxExporterConfigMapName;

    @JsonPropertyDescription("Storage of each member: exactly one volumeClaimTemplate.")
    private StorageScopeSpec storage;

    @JsonPropertyDescription("Annotations added to this rack's Pods.")
    private Map<String, String> annotations;

    @JsonPropertyDescription("Where this rack's Pods may run.")
    private Placement placement;

    @JsonPropertyDescription("Compute resources of each member's Cassandra container.")
    private ResourceRequirements resources;

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public Integer getMembers() { return members; }
    public void setMembers(Integer members) { this.members = members; }
    public String getConfigMapName() { return configMapName; }
    public void setConfigMapName(String configMapName) { this.configMapName = configMapName; }
    public String getJmxExporterConfigMapName() { return jmxExporterConfigMapName; }
    public void setJmxExporterConfigMapName(String name) { this.jmxExporterConfigMapName = name; }
    public StorageScopeSpec getStorage() { return storage; }
    public void setStorage(StorageScopeSpec storage) { this.storage = storage; }
    public Map<String, String> getAnnotations() { return annotations; }
    public void setAnnotations(Map<String, String> annotations) { this.annotations = annotations; }
    public Placement getPlacement() { return placement; }
    public void setPlacement(Placement placement) { this.placement = placement; }
    public ResourceRequirements getResources() { return resources; }
    public void setResources(ResourceRequirements resources) { this.resources = resources; }
}
