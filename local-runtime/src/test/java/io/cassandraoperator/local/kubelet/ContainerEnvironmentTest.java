package io.cassandraoperator.local.kubelet;

import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ContainerEnvironmentTest {
    private static final List<VolumeMount> MOUNTS = List.of(
            new VolumeMountBuilder().withName("data").withMountPath("/var/lib/cassandra").build(),
            new VolumeMountBuilder().withName("hints").withMountPath("/var/lib/cassandra/hints").build(),
            new VolumeMountBuilder().withName("conf").withMountPath("/etc/conf").withSubPath("rack1").build(),
            new VolumeMountBuilder().withName("unknown").withMountPath("/opt").build());
    private static final Map<String, Path> DIRECTORIES = Map.of(
            "data", Path.of("/state/nodes/node-1/volumes/pv-1"),
            "hints", Path.of("/state/pods/default/p/volumes/hints"),
            "conf", Path.of("/state/pods/default/p/volumes/conf"));

    @Test
    void pathsUnderAMountAreRewrittenToTheVolumeDirectoryTheDeepestMountWinning() {
        assertThat(ContainerEnvironment.toHostPath("/var/lib/cassandra", MOUNTS, DIRECTORIES))
                .isEqualTo("/state/nodes/node-1/volumes/pv-1");
        assertThat(ContainerEnvironment.toHostPath("/var/lib/cassandra/", MOUNTS, DIRECTORIES))
                .isEqualTo("/state/nodes/node-1/volumes/pv-1");
        assertThat(ContainerEnvironment.toHostPath("/var/lib/cassandra/data/ks", MOUNTS, DIRECTORIES))
                .isEqualTo("/state/nodes/node-1/volumes/pv-1/data/ks");
        assertThat(ContainerEnvironment.toHostPath("/var/lib/cassandra/hints/x", MOUNTS, DIRECTORIES))
                .isEqualTo("/state/pods/default/p/volumes/hints/x");
        assertThat(ContainerEnvironment.toHostPath("/etc/conf/cassandra.yaml", MOUNTS, DIRECTORIES))
                .as("subPath").isEqualTo("/state/pods/default/p/volumes/conf/rack1/cassandra.yaml");
    }

    @Test
    void otherValuesAreLeftAlone() {
        assertThat(ContainerEnvironment.toHostPath("/var/lib/cassandra2", MOUNTS, DIRECTORIES))
                .isEqualTo("/var/lib/cassandra2");
        assertThat(ContainerEnvironment.toHostPath("/opt/x", MOUNTS, DIRECTORIES))
                .as("a mount of a volume that has no directory").isEqualTo("/opt/x");
        assertThat(ContainerEnvironment.toHostPath("512M", MOUNTS, DIRECTORIES)).isEqualTo("512M");
    }

    @Test
    void expandsDefinedVariablesKeepsUnknownOnesAndUnescapesDoubleDollars() {
        Map<String, String> defined = Map.of("POD_IP", "127.0.1.2", "PORT", "8080");
        assertThat(ContainerEnvironment.expand("http://$(POD_IP):$(PORT)/", defined)).isEqualTo("http://127.0.1.2:8080/");
        assertThat(ContainerEnvironment.expand("$(MISSING) stays", defined)).isEqualTo("$(MISSING) stays");
        assertThat(ContainerEnvironment.expand("$$(POD_IP) is literal", defined)).isEqualTo("$(POD_IP) is literal");
    }
}
