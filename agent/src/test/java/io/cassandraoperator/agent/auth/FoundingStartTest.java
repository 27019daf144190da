package io.cassandraoperator.agent.auth;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FoundingStartTest {
    private static final String SELF = "10.96.0.10";

    @Test
    void theClustersOnlySeedWithoutTheRecordStartsWithCqlOnLoopback() {
        assertThat(FoundingStart.applies(true, false, List.of(SELF), SELF)).isTrue();
    }

    @Test
    void everyOtherStartOpensCqlOnThePodAddressAtOnce() {
        assertThat(FoundingStart.applies(true, true, List.of(SELF), SELF)).as("the role was ensured on this volume").isFalse();
        assertThat(FoundingStart.applies(true, false, List.of("10.96.0.11"), SELF)).as("joins through another seed").isFalse();
        assertThat(FoundingStart.applies(true, false, List.of(SELF, "10.96.0.11"), SELF)).as("other seeds have the roles").isFalse();
        assertThat(FoundingStart.applies(false, false, List.of(SELF), SELF)).as("no authentication at all").isFalse();
    }

    @Test
    void theFoundingCommandHasTheDefaultRoleCreatedAtOnceUnlessTheImageSaysOtherwise() {
        assertThat(FoundingStart.command(List.of("java", "-Xmx1G", "-Dcassandra.superuser_setup_delay_ms=5000", "Main")))
                .containsExactly("java", "-Dcassandra.superuser_setup_delay_ms=0", "-Xmx1G",
                        "-Dcassandra.superuser_setup_delay_ms=5000", "Main");
    }

    @Test
    void theLoopbackPortIsAFreeOneOn127001() {
        var cql = FoundingStart.loopbackCql();
        assertThat(cql.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(cql.getPort()).isPositive();
    }
}
