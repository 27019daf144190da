package io.cassandraoperator.agent.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CassandraYamlTest {


    @Test
    void userOverridesMergeDeeplyReplaceListsAndAddNewKeys() {
        ObjectNode yaml = CassandraYaml.desired("c", "10.244.0.5", "10.96.0.10", List.of("10.96.0.11"),
                Path.of("/var/lib/cassandra"));
        yaml.putObject("client_encryption_options").put("enabled", false).put("keystore", "conf/.keystore");

        List<String> ignored = CassandraYaml.mergeUserOverrides(yaml, CassandraYaml.parse("""
                num_tokens: 8
                client_encryption_options:
                  enabled: true
                concurrent_reads: 64
                """));

        assertThat(ignored).isEmpty();
        assertThat(yaml.get("num_tokens").asInt()).isEqualTo(8);
        assertThat(yaml.at("/client_encryption_options/enabled").asBoolean()).isTrue();
        assertThat(yaml.at("/client_encryption_options/keystore").asText()).isEqualTo("conf/.keystore");
        assertThat(yaml.get("concurrent_reads").asInt()).isEqualTo(64);
        assertThat(yaml.get("cluster_name").asText()).isEqualTo("c");
    }

    @Test
    void passwordAuthenticationOnlyWithSuperuserCredentials(@TempDir Path dir) {
        AgentSettings open = TestSettings.member("c", "dc1", "r1", "c-dc1-r1-0", "10.244.0.5", dir, dir);
        assertThat(CassandraYaml.parse(CassandraConfigDirectory.cassandraYaml(open, "10.96.0.10", List.of("10.96.0.10"))).has("authenticator"))
                .as("agents started without an operator keep Cassandra's AllowAll default").isFalse();

        AgentSettings secured = new AgentSettings(open.podName(), open.podIp(), open.clusterName(), open.datacenter(), open.rack(),
                open.membersDir(), open.userConfigDir(), open.dataDir(), open.maxHeap(), open.agentToken(), open.cassandraClasspath(),
                open.extraJvmOptions(), open.pluginsDir(), open.bindAddress(), open.port(), open.stopGrace(), open.metricsPort(),
                open.metricsConfigDir(), open.metricsExporterJar(), Optional.of(new SuperuserCredentials("c-superuser", "pw")),
                Optional.empty());
        var yaml = CassandraYaml.parse(CassandraConfigDirectory.cassandraYaml(secured, "10.96.0.10", List.of("10.96.0.10")));
        assertThat(yaml.get("authenticator").asText()).isEqualTo("PasswordAuthenticator");
        assertThat(yaml.get("authorizer").asText()).isEqualTo("CassandraAuthorizer");
        assertThat(yaml.get("role_manager").asText()).isEqualTo("CassandraRoleManager");
        assertThat(yaml.toString()).doesNotContain("pw\"");
    }

    @Test
    void settingsThatFixIdentityAndDataLocationStayTheOperators() {
        ObjectNode yaml = CassandraYaml.desired("c", "10.244.0.5", "10.96.0.10", List.of("10.96.0.11"),
                Path.of("/var/lib/cassandra"));

        List<String> ignored = CassandraYaml.mergeUserOverrides(yaml, CassandraYaml.parse("""
                cluster_name: other
                broadcast_address: 1.2.3.4
                data_file_directories: [/tmp/elsewhere]
                seed_provider:
                  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
                    parameters: [{seeds: 1.2.3.4}]
                """));

        assertThat(ignored).containsExactly("cluster_name", "broadcast_address", "data_file_directories", "seed_provider");
        assertThat(yaml.get("cluster_name").asText()).isEqualTo("c");
        assertThat(yaml.get("broadcast_address").asText()).isEqualTo("10.96.0.10");
        assertThat(yaml.at("/data_file_directories/0").asText()).isEqualTo("/var/lib/cassandra/data");
        assertThat(yaml.at("/seed_provider/0/parameters/0/seeds").asText()).isEqualTo("10.96.0.11");
    }

    @Test
    void theUserFileFromTheRacksConfigMapIsMergedIntoTheRenderedYaml(@TempDir Path members, @TempDir Path user)
            throws IOException {
        Files.writeString(members.resolve("c-dc1-r1-0"), "10.96.0.10");
        Files.writeString(members.resolve("seeds"), "10.96.0.10");
        Files.writeString(user.resolve("cassandra.yaml"), "compaction_throughput: 64MiB/s\nlisten_address: 0.0.0.0\n");
        AgentSettings settings = TestSettings.member("c", "dc1", "r1", "c-dc1-r1-0", "10.244.0.5", members, user);

        String rendered = CassandraConfigDirectory.cassandraYaml(settings, "10.96.0.10", List.of("10.96.0.10"));

        assertThat(rendered).contains("compaction_throughput: 64MiB/s\n").contains("listen_address: 10.244.0.5\n")
                .doesNotContain("0.0.0.0");
    }

    @Test
    void aFoundingStartListensForCqlOnTheLoopbackPortOnlyWhateverTheUserFileSays(@TempDir Path members, @TempDir Path user)
            throws IOException {
        Files.writeString(user.resolve("cassandra.yaml"), "rpc_address: 0.0.0.0\nnative_transport_port: 9042\n");
        AgentSettings settings = TestSettings.member("c", "dc1", "r1", "c-dc1-r1-0", "10.244.0.5", members, user);

        var yaml = CassandraYaml.parse(CassandraConfigDirectory.cassandraYaml(settings, "10.96.0.10", List.of("10.96.0.10"),
                Optional.of(new java.net.InetSocketAddress("127.0.0.1", 41234)), Path.of("tls")));

        assertThat(yaml.get("rpc_address").asText()).isEqualTo("127.0.0.1");
        assertThat(yaml.get("broadcast_rpc_address").asText()).isEqualTo("127.0.0.1");
        assertThat(yaml.get("native_transport_port").asInt()).isEqualTo(41234);
        assertThat(yaml.get("listen_address").asText()).as("gossip stays on the pod's address").isEqualTo("10.244.0.5");
    }

    @Test
    void aMemberWithTheTlsSecretRunsMutualInternodeTlsAndRequiredClientTls(@TempDir Path members, @TempDir Path user) {
        AgentSettings plain = TestSettings.member("c", "dc1", "r1", "c-dc1-r1-0", "10.244.0.5", members, user);
        assertThat(CassandraYaml.parse(CassandraConfigDirectory.cassandraYaml(plain, "10.96.0.10", List.of("10.96.0.10")))
                .has("server_encryption_options")).as("no TLS directory: plaintext").isFalse();
        AgentSettings settings = AgentSettings.fromEnvironment(Map.ofEntries(
                Map.entry("POD_NAME", "c-dc1-r1-0"), Map.entry("POD_IP", "10.244.0.5"), Map.entry("CASSANDRA_CLUSTER_NAME", "c"),
                Map.entry("CASSANDRA_DATACENTER", "dc1"), Map.entry("CASSANDRA_RACK", "r1"),
                Map.entry("CASSANDRA_MEMBERS_DIR", members.toString()), Map.entry("CASSANDRA_USER_CONFIG_DIR", user.toString()),
                Map.entry("CASSANDRA_DATA_DIR", "/data"), Map.entry("CASSANDRA_MAX_HEAP", "512M"),
                Map.entry("CASSANDRA_AGENT_TOKEN", "t"), Map.entry("CASSANDRA_CLASSPATH", "/cp"),
                Map.entry("CASSANDRA_TLS_DIR", "/etc/cassandra-operator/tls")));
        assertThat(settings.tls()).hasValueSatisfying(tls -> {
            assertThat(tls.certificate()).isEqualTo(Path.of("/etc/cassandra-operator/tls/c-dc1-r1-0.crt"));
            assertThat(tls.key()).isEqualTo(Path.of("/etc/cassandra-operator/tls/c-dc1-r1-0.key"));
            assertThat(tls.clientOptional()).isFalse();
        });

        var yaml = CassandraYaml.parse(CassandraConfigDirectory.cassandraYaml(settings, "10.96.0.10", List.of("10.96.0.10"),
                Optional.empty(), Path.of("/conf/tls")));

        var server = yaml.get("server_encryption_options");
        assertThat(server.get("internode_encryption").asText()).isEqualTo("all");
        assertThat(server.get("require_client_auth").asBoolean()).isTrue();
        assertThat(server.get("optional").asBoolean()).isFalse();
        assertThat(server.get("keystore").asText()).isEqualTo("/conf/tls/keystore.pem");
        assertThat(server.get("outbound_keystore").asText()).isEqualTo("/conf/tls/keystore.pem");
        assertThat(server.get("truststore").asText()).isEqualTo("/conf/tls/truststore.pem");
        assertThat(server.get("ssl_context_factory").get("class_name").asText())
                .isEqualTo("org.apache.cassandra.security.PEMBasedSslContextFactory");
        assertThat(server.get("accepted_protocols")).extracting(n -> n.asText()).containsExactly("TLSv1.2", "TLSv1.3");
        var client = yaml.get("client_encryption_options");
        assertThat(client.get("enabled").asBoolean()).isTrue();
        assertThat(client.get("optional").asBoolean()).as("plaintext CQL refused").isFalse();
        assertThat(client.get("accepted_protocols")).extracting(n -> n.asText()).containsExactly("TLSv1.2", "TLSv1.3");
    }

    @Test
    void anUnknownClientPolicyIsRefused() {
        assertThatThrownBy(() -> MemberTls.fromEnvironment(Map.of("CASSANDRA_TLS_DIR", "/tls", "CASSANDRA_CLIENT_TLS", "sometimes"), "p"))
                .hasMessageContaining("required or optional");
        assertThat(MemberTls.fromEnvironment(Map.of("CASSANDRA_TLS_DIR", "/tls", "CASSANDRA_CLIENT_TLS", "optional"), "p"))
                .hasValueSatisfying(tls -> assertThat(tls.clientOptional()).isTrue());
    }

    @Test
    void aUserFileThatIsNoMapIsRefused() {
        ObjectNode yaml = CassandraYaml.desired("c", "10.244.0.5", "10.96.0.10", List.of("10.96.0.11"),
                Path.of("/var/lib/cassandra"));

        assertThatThrownBy(() -> CassandraYaml.mergeUserOverrides(yaml, CassandraYaml.parse("- a\n- b\n")))
                .hasMessageContaining("must be a map");
    }
}
