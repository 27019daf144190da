package io.cassandraoperator.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.cassandraoperator.agent.membership.Membership;
import io.cassandraoperator.api.Names;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration rendered for member 0 of a rack of the repository's examples, against checked-in golden files.
 * The members ConfigMap is what the operator writes: one seed per rack (or the first two members of a single rack),
 * each member's ClusterIP under its pod name.
 */
class CassandraConfigGoldenTest {

    @TempDir
    Path members;
    @TempDir
    Path userConfig;

    @ParameterizedTest(name = "{0} rack {1}")
    @CsvSource({
            "cluster.yaml, rack1, 10.96.0.10, '10.96.0.10,10.96.0.11', cluster-rack1-0",
            "cluster-multirack.yaml, rack-b, 10.96.1.2, '10.96.1.1,10.96.1.2,10.96.1.3', multirack-rack-b-0"})
    void rendersTheGoldenFilesForMemberZero(String example, String rack, String clusterIp, String seeds,
                                             String golden) throws IOException {
        JsonNode cluster = CassandraYaml.MAPPER.readTree(Path.of("..", "examples", example).toFile());
        String clusterName = cluster.at("/metadata/name").asText();
        String datacenter = cluster.at("/spec/datacenter/name").asText();
        assertThat(cluster.at("/spec/datacenter/racks").findValuesAsText("name")).contains(rack);
        String podName = Names.member(clusterName, datacenter, rack, 0);
        Files.writeString(members.resolve(podName), clusterIp);
        Files.writeString(members.resolve("seeds"), seeds);

        AgentSettings settings = TestSettings.member(clusterName, datacenter, rack, podName, "10.244.0.5",
                members, userConfig);
        Membership membership = Membership.read(members, podName);

        // A new member (no data joined yet): the state in which the operator first starts it.
        assertThat(CassandraConfigDirectory.cassandraYaml(settings, membership.broadcastAddress(),
                membership.seedsForCassandra(false)))
                .isEqualTo(golden(golden, "cassandra.yaml"));
        assertThat(RackDcProperties.render(datacenter, rack))
                .isEqualTo(golden(golden, "cassandra-rackdc.properties"));
    }

    private static String golden(String dir, String file) throws IOException {
        return Files.readString(Path.of("src", "test", "resources", "golden", dir, file));
    }
}
