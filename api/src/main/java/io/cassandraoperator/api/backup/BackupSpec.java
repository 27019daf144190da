package io.cassandraoperator.api.backup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.ArrayList;
import java.util.List;

// Fields a newer CRD adds must not stop an older operator: the API server prunes, this ignores.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self == oldSelf", message = "a Backup's spec cannot change once created: create another Backup")
public class BackupSpec {
    @Required
    @Size(min = 1, max = 63)
    @JsonPropertyDescription("The name of the Cluster (in this namespace) to back up.")
    private String cluster;

    @Size(max = 64)
    @JsonPropertyDescription("The keyspaces to back up; all keyspaces but Cassandra's system ones when empty.")
    private List<@Pattern("^[A-Za-z0-9_]{1,48}$") String> keyspaces = new ArrayList<>();

    @Required
    @JsonPropertyDescription("Where the files go.")
    private BackupTarget target;

    @Min(1)
    @JsonPropertyDescription("Upload rate limit per member, in bytes per second, so the cluster keeps serving; unlimited when unset.")
    private Long bytesPerSecond;

    public String getCluster() { return cluster; }
    public void setCluster(String cluster) { this.cluster = cluster; }
    public List<String> getKeyspaces() { return keyspaces; }
    public void setKeyspaces(List<String> keyspaces) { this.keyspaces = keyspaces; }
    public BackupTarget getTarget() { return target; }
    public void setTarget(BackupTarget target) { this.target = target; }
    public Long getBytesPerSecond() { return bytesPerSecond; }
    public void setBytesPerSecond(Long bytesPerSecond) { this.bytesPerSecond = bytesPerSecond; }
}
