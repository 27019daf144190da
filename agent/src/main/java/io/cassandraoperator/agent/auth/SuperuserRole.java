package io.cassandraoperator.agent.auth;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.loadbalancing.NodeDistance;
import com.datastax.oss.driver.api.core.metadata.Node;
import io.cassandraoperator.agent.cassandra.CassandraNode;
import io.cassandraoperator.agent.cassandra.OperationFailure;
import io.cassandraoperator.agent.cassandra.OperationMode;
import io.cassandraoperator.agent.config.SuperuserCredentials;
import io.cassandraoperator.agent.threads.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Ensures, once this member's Cassandra is NORMAL, over CQL on its own pod IP: the superuser role of the operator's
 * Secret exists (created by logging in as Cassandra's default {@code cassandra} role the first time), the default
 * role can no longer log in, and {@code system_auth} is replicated as {@link AuthReplication} says (repaired here after
 * a raise, so the new replicas hold every role). Idempotent: every member does it at every start, retrying until it is
 * done; logins fail while too few replicas of {@code system_auth} are up, which is no reason to do anything else.
 */
public final class SuperuserRole {
    private static final Logger LOG = LoggerFactory.getLogger(SuperuserRole.class);
    /** Cassandra creates it {@code superuser_setup_delay_ms} (10 s) after start on a cluster without roles. */
    static final SuperuserCredentials DEFAULT_ROLE = new SuperuserCredentials("cassandra", "cassandra");
    private static final Duration RETRY = Duration.ofSeconds(5);
    /** Log a still-failing attempt once a minute, not every retry. */
    private static final int ATTEMPTS_PER_LOG = 12;

    private final SuperuserCredentials superuser;
    private final InetSocketAddress cql;
    private final String datacenter;
    private final CassandraNode node;
    private final Optional<SSLContext> tls;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("superuser-role"));
    private final CompletableFuture<Void> ensured = new CompletableFuture<>();
    private int failedAttempts;

    /** @param tls the context trusting the cluster CA when Cassandra's CQL requires TLS */
    public SuperuserRole(SuperuserCredentials superuser, InetSocketAddress cql, String datacenter, CassandraNode node,
                         Optional<SSLContext> tls) {
        this.superuser = superuser;
        this.tls = tls;
        this.cql = cql;
        this.datacenter = datacenter;
        this.node = node;
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::attempt, RETRY.toSeconds(), RETRY.toSeconds(), TimeUnit.SECONDS);
    }

    private void attempt() {
        if (node.operationMode().filter(OperationMode.NORMAL::equals).isEmpty()) {
            return;
        }
        try {
            if (ensure()) {
                scheduler.shutdown();
                ensured.complete(null);
            }
        } catch (Exception e) {
            if (failedAttempts++ % ATTEMPTS_PER_LOG == 0) {
                LOG.info("Superuser role {} not ensured yet, retrying every {} s: {}", superuser.username(), RETRY.toSeconds(),
                        OperationFailure.message(e));
            }
        }
    }

    /** Completes once the role, the disabled default role and system_auth's replication are in place. */
    public CompletableFuture<Void> ensured() {
        return ensured;
    }

    /** Stops retrying (the Cassandra it works on is gone). */
    public void stop() {
        scheduler.shutdownNow();
    }

    /** True once everything is in place; false when this round could not log in with either role. */
    boolean ensure() throws Exception {
        Optional<CqlSession> session = login(superuser);
        if (session.isEmpty()) {
            if (!createWithDefaultRole()) {
                return false;
            }
            session = login(superuser);
            if (session.isEmpty()) {
                return false;
            }
        }
        try (CqlSession asSuperuser = session.get()) {
            disableDefaultRole(asSuperuser);
            ensureReplication(asSuperuser);
        }
        return true;
    }

    private boolean createWithDefaultRole() {
        Optional<CqlSession> session = login(DEFAULT_ROLE);
        if (session.isEmpty()) {
            if (failedAttempts++ % ATTEMPTS_PER_LOG == 0) {
                LOG.warn("Neither role {} nor the default role {} can log in: {} has another password than the Secret "
                        + "holds, or Cassandra has not created its default role yet. Retrying every {} s",
                        superuser.username(), DEFAULT_ROLE.username(), superuser.username(), RETRY.toSeconds());
            }
            return false;
        }
        try (CqlSession asDefault = session.get()) {
            asDefault.execute("CREATE ROLE IF NOT EXISTS " + quotedName(superuser.username())
                    + " WITH SUPERUSER = true AND LOGIN = true AND PASSWORD = " + quotedString(superuser.password()));
        }
        LOG.info("Created the superuser role {} of the Secret, logged in as the default role {}", superuser.username(),
                DEFAULT_ROLE.username());
        return true;
    }

    private void disableDefaultRole(CqlSession session) {
        if (superuser.username().equals(DEFAULT_ROLE.username())) {
            LOG.info("The Secret names the default role {}: keeping it", DEFAULT_ROLE.username());
            return;
        }
        Row row = session.execute("SELECT is_superuser, can_login FROM system_auth.roles WHERE role = ?",
                DEFAULT_ROLE.username()).one();
        if (row != null && (row.getBoolean("is_superuser") || row.getBoolean("can_login"))) {
            // Disabled, not dropped: Cassandra recreates its default role on a cluster where that role is missing.
            session.execute("ALTER ROLE " + DEFAULT_ROLE.username() + " WITH SUPERUSER = false AND LOGIN = false");
            LOG.info("Disabled the default role {}: its well-known password no longer logs in", DEFAULT_ROLE.username());
        }
    }

    private void ensureReplication(CqlSession session) throws Exception {
        Row keyspace = session.execute("SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = 'system_auth'").one();
        Map<String, String> current = keyspace == null ? Map.of() : keyspace.getMap("replication", String.class, String.class);
        long nodes = session.getMetadata().getNodes().values().stream()
                .filter(n -> datacenter.equals(n.getDatacenter())).count();
        Optional<Map<String, Integer>> raised = AuthReplication.raised(current, datacenter, (int) nodes);
        if (raised.isEmpty()) {
            LOG.info("Superuser role {} in place; system_auth replication {} is enough for {} node(s) in {}",
                    superuser.username(), current, nodes, datacenter);
            return;
        }
        session.execute(AuthReplication.alterStatement(raised.get()));
        LOG.info("system_auth replication raised from {} to NetworkTopologyStrategy {}: min({}, {} node(s) in {}), so that "
                + "from 3 members on losing one locks no role out; repairing system_auth on this member so the new replicas "
                + "hold every role", current, raised.get(), AuthReplication.WANTED_REPLICAS, nodes, datacenter);
        node.repairKeyspace(CassandraNode.AUTH_KEYSPACE);
        LOG.info("Superuser role {} in place; system_auth repaired", superuser.username());
    }

    /** A session on this member only; empty when Cassandra refuses these credentials (any other failure is thrown). */
    private Optional<CqlSession> login(SuperuserCredentials credentials) {
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(60))
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(15))
                .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, false)
                .build();
        try {
            CqlSessionBuilder builder = CqlSession.builder();
            // The driver checks the chain against the CA, not the host name: this member's own loopback CQL port is
            // not a name on its certificate.
            tls.ifPresent(builder::withSslContext);
            return Optional.of(builder
                    .addContactPoint(cql)
                    .withLocalDatacenter(datacenter)
                    .withAuthCredentials(credentials.username(), credentials.password())
                    .withNodeDistanceEvaluator(this::onlyThisMember)
                    .withConfigLoader(config)
                    .build());
        } catch (AllNodesFailedException e) {
            if (refusedCredentials(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private NodeDistance onlyThisMember(Node candidate, String localDatacenter) {
        return cql.equals(candidate.getEndPoint().resolve()) ? null : NodeDistance.IGNORED;
    }

    /** Cassandra's PasswordAuthenticator refusal, as opposed to an authentication it could not perform (too few replicas). */
    private static boolean refusedCredentials(AllNodesFailedException e) {
        return e.getAllErrors().values().stream().flatMap(java.util.List::stream)
                .anyMatch(error -> error instanceof AuthenticationException
                        && String.valueOf(error.getMessage()).contains("are incorrect"));
    }

    static String quotedName(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    static String quotedString(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
