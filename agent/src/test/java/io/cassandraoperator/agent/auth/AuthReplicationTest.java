package io.cassandraoperator.agent.auth;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AuthReplicationTest {
    private static final Map<String, String> DEFAULT = Map.of(
            "class", "org.apache.cassandra.locator.SimpleStrategy", "replication_factor", "1");

    @Test
    void cassandrasDefaultBecomesNetworkTopologyWithOneReplicaPerNodeUpToThree() {
        assertThat(AuthReplication.raised(DEFAULT, "dc1", 1)).contains(Map.of("dc1", 1));
        assertThat(AuthReplication.raised(DEFAULT, "dc1", 2)).contains(Map.of("dc1", 2));
        assertThat(AuthReplication.raised(DEFAULT, "dc1", 5)).contains(Map.of("dc1", 3));
    }

    @Test
    void raisedAsMembersJoinNeverLowered() {
        Map<String, String> two = Map.of("class", "org.apache.cassandra.locator.NetworkTopologyStrategy", "dc1", "2");
        assertThat(AuthReplication.raised(two, "dc1", 2)).isEmpty();
        assertThat(AuthReplication.raised(two, "dc1", 1)).as("a node down is no reason to lower it").isEmpty();
        assertThat(AuthReplication.raised(two, "dc1", 3)).contains(Map.of("dc1", 3));
        Map<String, String> five = Map.of("class", "org.apache.cassandra.locator.NetworkTopologyStrategy", "dc1", "5");
        assertThat(AuthReplication.raised(five, "dc1", 7)).as("a user's higher choice stays").isEmpty();
    }

    @Test
    void otherDatacentersKeepTheirReplicas() {
        Map<String, String> other = Map.of("class", "org.apache.cassandra.locator.NetworkTopologyStrategy", "dc0", "3");
        assertThat(AuthReplication.raised(other, "dc1", 3)).contains(Map.of("dc0", 3, "dc1", 3));
    }

    @Test
    void statementNamesEveryDatacenter() {
        assertThat(AuthReplication.alterStatement(Map.of("dc1", 3)))
                .isEqualTo("ALTER KEYSPACE system_auth WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3}");
    }
}
