package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.api.TlsSpec;
import io.cassandraoperator.operator.TestClusters;
import io.cassandraoperator.operator.model.RackStatefulSet;
import io.cassandraoperator.operator.model.TlsSettings;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TlsDecisionTest {
    private final Cluster cluster = TestClusters.cluster("c", "ns", 3);

    private StatefulSet running(TlsSettings tls) {
        return RackStatefulSet.build(cluster, cluster.getSpec().getDatacenter().getRacks().get(0), 3, tls);
    }

    @Test
    void aNewClusterWithoutTheFieldGetsRequiredTlsWithTheDefaults() {
        TlsSettings tls = TlsDecision.settings(cluster, List.of());
        assertThat(tls.enabled()).isTrue();
        assertThat(tls.client()).isEqualTo(TlsSpec.ClientPolicy.REQUIRED);
        assertThat(tls.validity()).isEqualTo(Duration.ofDays(365));
        assertThat(tls.renewBefore()).isEqualTo(Duration.ofDays(30));
        assertThat(TlsDecision.refusal(cluster, List.of())).isEmpty();
    }

    @Test
    void anExistingPlaintextClusterWithoutTheFieldStaysPlaintext() {
        List<StatefulSet> existing = List.of(running(TlsSettings.plaintext()));
        assertThat(TlsDecision.settings(cluster, existing).enabled()).isFalse();
        assertThat(TlsDecision.refusal(cluster, existing)).isEmpty();
        // and its template is what it was: no roll
        assertThat(RackStatefulSet.mountsTls(RackStatefulSet.build(cluster, cluster.getSpec().getDatacenter().getRacks().get(0), 3,
                TlsDecision.settings(cluster, existing)))).isFalse();
    }

    @Test
    void aClusterCreatedWithTlsKeepsIt() {
        assertThat(TlsDecision.settings(cluster, List.of(running(TlsSettings.enabled(null)))).enabled()).isTrue();
    }

    @Test
    void switchingARunningClusterEitherWayIsRefused() {
        TlsSpec on = new TlsSpec();
        on.setEnabled(true);
        cluster.getSpec().setTls(on);
        assertThat(TlsDecision.refusal(cluster, List.of(running(TlsSettings.plaintext()))))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(EventReason.TlsChangeRefused));
        TlsSpec off = new TlsSpec();
        off.setEnabled(false);
        cluster.getSpec().setTls(off);
        assertThat(TlsDecision.refusal(cluster, List.of(running(TlsSettings.enabled(null))))).isPresent();
        assertThat(TlsDecision.settings(cluster, List.of()).enabled()).isFalse();
    }

    @Test
    void theTemplateMountsTheMemberSecretAndTellsTheAgent() {
        TlsSpec optional = new TlsSpec();
        optional.setClient(TlsSpec.ClientPolicy.OPTIONAL);
        cluster.getSpec().setTls(optional);
        var pod = running(TlsDecision.settings(cluster, List.of())).getSpec().getTemplate().getSpec();
        assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getSecret()).isNotNull().satisfies(s -> assertThat(s.getSecretName()).isEqualTo("c-member-tls")));
        assertThat(pod.getContainers().get(0).getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/etc/cassandra-operator/tls"));
        assertThat(pod.getContainers().get(0).getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("CASSANDRA_CLIENT_TLS");
            assertThat(e.getValue()).isEqualTo("optional");
        });
    }
}
