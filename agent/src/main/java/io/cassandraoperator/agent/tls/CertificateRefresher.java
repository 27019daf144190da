package io.cassandraoperator.agent.tls;

import io.cassandraoperator.agent.cassandra.CassandraNode;
import io.cassandraoperator.agent.config.CassandraConfigDirectory;
import io.cassandraoperator.agent.config.MemberTls;
import io.cassandraoperator.agent.threads.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Follows the member's certificate in the mounted Secret without a restart: when the operator renews it (the kubelet
 * swaps the Secret's files), the agent writes Cassandra's keystore and truststore again and has Cassandra reload them
 * over JMX ({@code nodetool reloadssl}). Connections already open keep their session; new ones get the new certificate.
 */
public final class CertificateRefresher {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateRefresher.class);
    private static final long PERIOD_SECONDS = 5;

    private final MemberTls tls;
    private final CassandraConfigDirectory confDir;
    private final CassandraNode node;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("certificate-refresher"));
    private String applied;

    /** @param startedWith the keystore and truststore text Cassandra was started with */
    public CertificateRefresher(MemberTls tls, CassandraConfigDirectory confDir, CassandraNode node, String startedWith) {
        this.tls = tls;
        this.confDir = confDir;
        this.node = node;
        this.applied = startedWith;
    }

    /** What Cassandra's files hold for the Secret as mounted now. */
    public static String material(MemberTls tls) {
        return tls.keystorePem() + tls.truststorePem();
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::refresh, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    public void stop() {
        scheduler.shutdownNow();
    }

    /** One round: a no-op unless the Secret changed; a failed reload is tried again next round. */
    void refresh() {
        String now;
        try {
            now = material(tls);
        } catch (RuntimeException e) {
            // A Secret volume is swapped atomically, but a renewed member's files may be missing for a moment.
            LOG.debug("Cannot read the member's certificate now: {}", e.getMessage());
            return;
        }
        if (now.equals(applied)) {
            return;
        }
        try {
            confDir.writeTls(tls);
            node.reloadSslCertificates();
            applied = now;
            LOG.info("The member's certificate or the cluster CA changed in {}: Cassandra reloaded its keystore and truststore, "
                    + "no restart", tls.dir());
        } catch (Exception e) {
            LOG.info("Cassandra did not reload its certificates yet ({}); trying again", e.getMessage());
        }
    }
}
