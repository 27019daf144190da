package io.cassandraoperator.local.cli;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.Names;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The superuser of an operator-managed cluster, read from its {@code <cluster>-superuser} Secret as a client would,
 * with the TLS context its {@code <cluster>-ca-cert} Secret gives (none for a cluster in plaintext).
 */
public record SuperuserLogin(String username, String password, Optional<SSLContext> tls) {

    public static SuperuserLogin read(KubernetesClient client, String namespace, String cluster) {
        Secret secret = client.secrets().inNamespace(namespace).withName(Names.superuserSecret(cluster)).get();
        assertThat(secret).as("the operator's superuser Secret of " + cluster).isNotNull();
        return new SuperuserLogin(decode(secret, Contract.SuperuserSecret.USERNAME), decode(secret, Contract.SuperuserSecret.PASSWORD),
                ClusterCaTrust.read(client, namespace, cluster));
    }

    /** A builder with the cluster's TLS context, if it has one. */
    public CqlSessionBuilder builder() {
        CqlSessionBuilder builder = CqlSession.builder();
        tls.ifPresent(builder::withSslContext);
        return builder;
    }

    /**
     * A session logged in as the superuser. The members' agents create the role once Cassandra is NORMAL, which may be
     * a few seconds after the members are Ready: retried for up to 3 minutes.
     */
    public CqlSession session(Supplier<CqlSessionBuilder> builder) {
        AtomicReference<CqlSession> session = new AtomicReference<>();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(3)).ignoreException(AllNodesFailedException.class)
                .until(() -> {
                    CqlSessionBuilder withLogin = builder.get().withAuthCredentials(username, password);
                    tls.ifPresent(withLogin::withSslContext);
                    session.set(withLogin.build());
                    return true;
                });
        return session.get();
    }

    /** Cassandra refuses a session without credentials and one as the default {@code cassandra} role. */
    public void assertOnlyCredentialsLogIn(List<InetSocketAddress> contactPoints) {
        assertRefused(builder().addContactPoints(contactPoints).withLocalDatacenter("dc1"), "no credentials");
        // The agent disables the default role right after creating the superuser: allow it a moment.
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(3)).untilAsserted(() -> assertRefused(
                builder().addContactPoints(contactPoints).withLocalDatacenter("dc1")
                        .withAuthCredentials("cassandra", "cassandra"), "the default role cassandra/cassandra"));
    }

    private static void assertRefused(CqlSessionBuilder builder, String what) {
        AllNodesFailedException refused = catchThrowableOfType(AllNodesFailedException.class, () -> builder.build().close());
        assertThat(refused).as(what + " must not log in").isNotNull();
        assertThat(refused.getAllErrors().values().stream().flatMap(List::stream))
                .as(what + ": " + refused.getMessage()).hasAtLeastOneElementOfType(AuthenticationException.class);
    }

    private static String decode(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "SuperuserLogin[" + username + (tls.isPresent() ? ", TLS" : "") + "]";
    }
}
