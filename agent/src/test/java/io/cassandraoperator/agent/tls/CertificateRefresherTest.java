package io.cassandraoperator.agent.tls;

import io.cassandraoperator.agent.cassandra.FakeCassandraNode;
import io.cassandraoperator.agent.config.CassandraConfigDirectory;
import io.cassandraoperator.agent.config.MemberTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CertificateRefresherTest {
    @TempDir
    Path secret;
    @TempDir
    Path tmp;

    private void mount(String certificate, String key, String ca) throws IOException {
        Files.writeString(secret.resolve("m-0.crt"), certificate);
        Files.writeString(secret.resolve("m-0.key"), key);
        Files.writeString(secret.resolve("ca.crt"), ca);
    }

    @Test
    void aRenewedCertificateIsWrittenForCassandraAndReloadedWithoutRestart() throws IOException {
        mount("CERT-1\n", "KEY-1\n", "CA\n");
        MemberTls tls = new MemberTls(secret, "m-0", false);
        CassandraConfigDirectory confDir = CassandraConfigDirectory.create(tmp, "m-0");
        confDir.writeTls(tls);
        FakeCassandraNode node = new FakeCassandraNode();
        CertificateRefresher refresher = new CertificateRefresher(tls, confDir, node, CertificateRefresher.material(tls));

        refresher.refresh();
        assertThat(node.sslReloads).as("nothing changed: no reload").hasValue(0);

        mount("CERT-2\n", "KEY-2\n", "CA\n");
        refresher.refresh();
        assertThat(node.sslReloads).hasValue(1);
        assertThat(Files.readString(confDir.tlsDir().resolve("keystore.pem"))).contains("KEY-2").contains("CERT-2");
        refresher.refresh();
        assertThat(node.sslReloads).as("applied once").hasValue(1);
    }

    @Test
    void aSecretSwappedHalfWayIsWaitedFor() throws IOException {
        mount("CERT-1\n", "KEY-1\n", "CA\n");
        MemberTls tls = new MemberTls(secret, "m-0", false);
        FakeCassandraNode node = new FakeCassandraNode();
        CertificateRefresher refresher = new CertificateRefresher(tls, CassandraConfigDirectory.create(tmp, "m-0"), node,
                CertificateRefresher.material(tls));
        Files.delete(secret.resolve("m-0.key"));
        refresher.refresh();
        assertThat(node.sslReloads).hasValue(0);
    }
}
