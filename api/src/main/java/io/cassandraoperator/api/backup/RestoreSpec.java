package io.cassandraoperator.api.backup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.ArrayList;
import java.util.List;

@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self == oldSelf", message = "a Restore's spec cannot change once created: create another Restore")
public class RestoreSpec {
    @Required
    @Size(min = 1, max = 253)
    @JsonPropertyDescription("The Backup (in this namespace) to restore from; it must be Completed.")
    private String backup;

    @Required
    @JsonPropertyDescription("InPlace: the tables of the backed-up Cluster, imported while it serves.")
    private RestoreMode mode;

    @Required
    @Size(min = 1, max = 256)
    @JsonPropertyDescription("The tables to restore, as keyspace.table.")
    private List<@Pattern("^[A-Za-z0-9_]{1,48}\\.[A-Za-z0-9_]{1,48}$") String> tables = new ArrayList<>();

    public String getBackup() { return backup; }
    public void setBackup(String backup) { this.backup = backup; }
    public RestoreMode getMode() { return mode; }
    public void setMode(RestoreMode mode) { this.mode = mode; }
    public List<String> getTables() { return tables; }
    public void setTables(List<String> tables) { this.tables = tables; }
}
