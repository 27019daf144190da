package io.cassandraoperator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;


// Fields a newer CRD adds must not stop an older operator: the API server prunes, this ignores.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageSpec {
    @Required
    private String version;
    private String repository;

    public String getVersion() { return version; }
    public void setVersion(String version) { this.version = version; }
    public String getRepository() { return repository; }
    public void setRepository(String repository) { this.repository = repository; }
}
