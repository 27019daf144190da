package io.cassandraoperator.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Agent settings for unit tests, as the pod template would set them for one member. */
final class TestSettings {
    private TestSettings() {
    }

    static AgentSettings member(String cluster, String datacenter, String rack, String podName, String podIp,
                                Path membersDir, Path userConfigDir) {
        return new AgentSettings(podName, podIp, cluster, datacenter, rack, membersDir, userConfigDir,
                Path.of("/var/lib/cassandra"), "1024M", "token", "/opt/cassandra/lib/*", List.of(),
                Optional.empty(), podIp, 8080, Duration.ofSeconds(60), 9500,
                Path.of("/etc/cassandra-operator/metrics"), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
