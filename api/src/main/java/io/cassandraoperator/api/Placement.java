package io.cassandraoperator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.PodAffinity;
import io.fabric8.kubernetes.api.model.PodAntiAffinity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;

import java.util.List;

// Fields a newer CRD adds must not stop an older operator: the API server prunes, this ignores.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Placement {
    private NodeAffinity nodeAffinity;
    private PodAffinity podAffinity;
    private PodAntiAffinity podAntiAffinity;
    private List<Toleration> tolerations;
    private List<TopologySpreadConstraint> topologySpreadConstraints;

    public NodeAffinity getNodeAffinity() { return nodeAffinity; }
    public void setNodeAffinity(NodeAffinity nodeAffinity) { this.nodeAffinity = nodeAffinity; }
    public PodAffinity getPodAffinity() { return podAffinity; }
    public void setPodAffinity(PodAffinity podAffinity) { this.podAffinity = podAffinity; }
    public PodAntiAffinity getPodAntiAffinity() { return podAntiAffinity; }
    public void setPodAntiAffinity(PodAntiAffinity podAntiAffinity) { this.podAntiAffinity = podAntiAffinity; }
    public List<Toleration> getTolerations() { return tolerations; }
    public void setTolerations(List<Toleration> tolerations) { this.tolerations = tolerations; }
    public List<TopologySpreadConstraint> getTopologySpreadConstraints() { return topologySpreadConstraints; }
    public void setTopologySpreadConstraints(List<TopologySpreadConstraint> constraints) { this.topologySpreadConstraints = constraints; }
}
