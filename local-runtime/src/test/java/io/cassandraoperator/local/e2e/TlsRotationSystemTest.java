package io.cassandraoperator.local.e2e;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.local.cli.CliProcess;
import io.cassandraoperator.local.cli.ClusterCaTrust;
import io.cassandraoperator.local.cli.SuperuserLogin;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 19, rotation without restarts, real Cassandra: a member certificate issued anew (here: its entries removed
 * from the member Secret, as a renewal replaces them) reaches Cassandra without a restart, the agent rewriting the
 * keystore and having Cassandra reload it. A system test (its own cluster of 3; not in plain verify).
 */
class TlsRotationSystemTest extends EndToEndTest {
    private static final int ROWS = 1_000;

    private String name;
    private SuperuserLogin superuser;
    private List<InetSocketAddress> contactPoints;
    private SSLContext trust;

    TlsRotationSystemTest() throws IOException {
        super(LocalRuntimeFixture.of("tls-rotation"));
    }

    @BeforeAll
    void upWithThreeMembersAndRows() throws Exception {
        CliProcess.Result up = runtime.up(CliProcess.PROJECT.resolve("examples/cluster.yaml"));
        assertThat(up.exitCode()).as(up.output()).isZero();
        Cluster cluster = onlyCluster();
        name = cluster.getMetadata().getName();
        contactPoints = runtime.contactPoints(cluster);
        superuser = runtime.superuser(name);
        Secret caCert = runtime.client().secrets().inNamespace(NAMESPACE).withName(name + Contract.TlsSecrets.CA_CERT_SUFFIX).get();
        trust = ClusterCaTrust.context(Base64.getDecoder().decode(caCert.getData().get(Contract.TlsSecrets.CA_CERTIFICATE)));
        try (CqlSession session = runtime.session(superuser, contactPoints)) {
            RowsTable.create(session);
            RowsTable.write(session, ROWS);
        }
    }

    @Test
    void aReissuedMemberCertificateIsServedWithoutARestart() throws Exception {
        Pod pod = runtime.client().pods().inNamespace(NAMESPACE).withLabel(Contract.Labels.CLUSTER, name).list().getItems().get(0);
        String member = pod.getMetadata().getName();
        InetSocketAddress cql = new InetSocketAddress(pod.getStatus().getPodIP(), Contract.Ports.CQL);
        BigInteger before = presentedSerial(cql);
        Map<String, Integer> restarts = restartCounts();

        runtime.client().secrets().inNamespace(NAMESPACE).withName(name + Contract.TlsSecrets.MEMBER_SUFFIX).edit(secret -> {
            secret.getData().remove(member + Contract.TlsSecrets.CERTIFICATE_EXTENSION);
            secret.getData().remove(member + Contract.TlsSecrets.KEY_EXTENSION);
            return secret;
        });

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(3)).ignoreExceptions()
                .until(() -> !presentedSerial(cql).equals(before));
        assertThat(restartCounts()).as("no member restarted, no pod replaced").isEqualTo(restarts);
        try (CqlSession session = runtime.session(superuser, contactPoints)) {
            assertThat(RowsTable.readIds(session, ConsistencyLevel.ALL)).hasSize(ROWS);
        }
    }

    private BigInteger presentedSerial(InetSocketAddress address) throws IOException {
        try (SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket()) {
            socket.connect(address, 10_000);
            socket.setSoTimeout(30_000);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    /** Per pod UID, its container's restart count. */
    private Map<String, Integer> restartCounts() {
        return runtime.client().pods().inNamespace(NAMESPACE).withLabel(Contract.Labels.CLUSTER, name).list().getItems().stream()
                .collect(Collectors.toMap(p -> p.getMetadata().getUid(), p -> p.getStatus().getContainerStatuses().get(0).getRestartCount()));
    }
}
