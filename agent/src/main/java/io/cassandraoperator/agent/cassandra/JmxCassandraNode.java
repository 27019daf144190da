package io.cassandraoperator.agent.cassandra;

import io.cassandraoperator.agent.threads.DaemonThreads;
import io.cassandraoperator.api.agent.NodeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Cassandra's StorageService over JMX, with generic MBean calls: Cassandra's classes are not on the agent's classpath.
 * Queries share one connection (reopened after a failure); each long operation opens its own, so a decommission
 * holding a connection for minutes does not stall the probes.
 */
public final class JmxCassandraNode implements CassandraNode, SnapshotNode {
    private static final Logger LOG = LoggerFactory.getLogger(JmxCassandraNode.class);
    private static final ObjectName STORAGE_SERVICE = objectName("org.apache.cassandra.db:type=StorageService");
    private static final ObjectName GOSSIPER = objectName("org.apache.cassandra.net:type=Gossiper");
    /** Where {@code nodetool reloadssl} goes (NodeProbe.reloadSslCerts): not StorageService. */
    private static final ObjectName MESSAGING_SERVICE = objectName("org.apache.cassandra.net:type=MessagingService");
    private static final ObjectName STORAGE_LOAD = objectName("org.apache.cassandra.metrics:type=Storage,name=Load");
    private static final Duration REPAIR_POLL = Duration.ofSeconds(1);
    /**
     * A full repair of all the node's ranges (a replaced node must catch up on every range it holds, not only its
     * primary ones), replicas validated in parallel, as nodetool repair --full does by default.
     */
    static final Map<String, String> FULL_REPAIR = Map.of(
            "incremental", "false",
            "primaryRange", "false",
            "parallelism", "parallel",
            "jobThreads", "1");
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);

    private final JmxAccess access;
    private final String broadcastAddress;
    private final ClassLoader cassandraClasses;
    private final ExecutorService queries = Executors.newSingleThreadExecutor(DaemonThreads.named("jmx-query"));
    private volatile JMXConnector queryConnector;

    /** @param cassandraClasses reads Cassandra's answers that carry its library types (see {@link CassandraClassLoader}) */
    public JmxCassandraNode(JmxAccess access, String broadcastAddress, ClassLoader cassandraClasses) {
        this.access = access;
        this.broadcastAddress = broadcastAddress;
        this.cassandraClasses = cassandraClasses;
    }

    public static JMXServiceURL serviceUrl(int port) {
        try {
            return new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public Optional<String> operationMode() {
        try {
            return Optional.of((String) query(STORAGE_SERVICE, "OperationMode"));
        } catch (NodeUnreachableException e) {
            return Optional.empty();
        }
    }

    @Override
    public NodeStatus status() throws NodeUnreachableException {
        return new NodeStatus(
                (String) query(STORAGE_SERVICE, "OperationMode"),
                (String) query(STORAGE_SERVICE, "LocalHostId"),
                broadcastAddress,
                stringList(query(STORAGE_SERVICE, "LiveNodes")),
                stringList(query(STORAGE_SERVICE, "UnreachableNodes")),
                stringList(query(STORAGE_SERVICE, "JoiningNodes")),
                stringList(query(STORAGE_SERVICE, "LeavingNodes")),
                (String) query(STORAGE_SERVICE, "LoadString"));
    }

    @Override
    public void decommission() throws Exception {
        try (JMXConnector connector = connect()) {
            connector.getMBeanServerConnection().invoke(STORAGE_SERVICE, "decommission",
                    new Object[] {false}, new String[] {"boolean"});
        }
    }

    @Override
    public void drain() throws Exception {
        try (JMXConnector connector = connect()) {
            connector.getMBeanServerConnection().invoke(STORAGE_SERVICE, "drain", new Object[0], new String[0]);
        }
    }

    /** Cassandra checks every keystore and certificate file of internode and client encryption and reloads those that changed. */
    @Override
    public void reloadSslCertificates() throws Exception {
        try (JMXConnector connector = connect()) {
            connector.getMBeanServerConnection().invoke(MESSAGING_SERVICE, "reloadSslCertificates", new Object[0], new String[0]);
        }
    }

    @Override
    public List<String> reloadSeeds() throws Exception {
        try (JMXConnector connector = connect()) {
            // Cassandra answers null when its seed provider failed; it then keeps its previous seeds.
            Object seeds = connector.getMBeanServerConnection().invoke(GOSSIPER, "reloadSeeds", new Object[0], new String[0]);
            if (seeds == null) {
                throw new IllegalStateException("Cassandra could not read its seeds again (see its log)");
            }
            return stringList(seeds);
        }
    }

    @Override
    public void cleanupAllKeyspaces() throws Exception {
        try (JMXConnector connector = connect()) {
            MBeanServerConnection mbeans = connector.getMBeanServerConnection();
            List<String> keyspaces = stringList(mbeans.getAttribute(STORAGE_SERVICE, "NonSystemKeyspaces"));
            for (String keyspace : keyspaces) {
                LOG.info("Cleanup of keyspace {}", keyspace);
                // jobs 0: as many parallel compactions as Cassandra allows; no tables named: all of them.
                Object status = mbeans.invoke(STORAGE_SERVICE, "forceKeyspaceCleanup",
                        new Object[] {0, keyspace, new String[0]},
                        new String[] {"int", String.class.getName(), String[].class.getName()});
                if (!Integer.valueOf(0).equals(status)) {
                    throw new IllegalStateException("cleanup of keyspace " + keyspace + " ended with status " + status);
                }
            }
        }
    }

    @Override
    public void repairAllKeyspaces() throws Exception {
        try (JMXConnector connector = connect()) {
            MBeanServerConnection mbeans = connector.getMBeanServerConnection();
            List<String> keyspaces = new ArrayList<>(stringList(mbeans.getAttribute(STORAGE_SERVICE, "NonSystemKeyspaces")));
            // The roles: a member that missed a role change while it was away must not answer logins with old data.
            keyspaces.add(AUTH_KEYSPACE);
            for (String keyspace : keyspaces) {
                repair(mbeans, keyspace);
            }
        }
    }

    @Override
    public void repairKeyspace(String keyspace) throws Exception {
        try (JMXConnector connector = connect()) {
            repair(connector.getMBeanServerConnection(), keyspace);
        }
    }

    private static void repair(MBeanServerConnection mbeans, String keyspace) throws Exception {
        int command = (Integer) mbeans.invoke(STORAGE_SERVICE, "repairAsync",
                new Object[] {keyspace, new HashMap<>(FULL_REPAIR)},
                new String[] {String.class.getName(), Map.class.getName()});
        if (command == 0) {
            LOG.info("Repair of keyspace {}: nothing to repair (replication factor 1 or no ranges)", keyspace);
            return;
        }
        LOG.info("Repair of keyspace {}: Cassandra's repair command {}", keyspace, command);
        awaitRepair(mbeans, keyspace, command);
    }

    /**
     * Polls the parent repair's status: JMX progress notifications can be lost, the status cannot. Before the repair
     * task registers itself the status is null, which counts as still running.
     */
    private static void awaitRepair(MBeanServerConnection mbeans, String keyspace, int command) throws Exception {
        while (true) {
            List<String> status = stringList(mbeans.invoke(STORAGE_SERVICE, "getParentRepairStatus",
                    new Object[] {command}, new String[] {"int"}));
            if (!status.isEmpty() && status.get(0).equals("COMPLETED")) {
                LOG.info("Repair of keyspace {} completed", keyspace);
                return;
            }
            if (!status.isEmpty() && status.get(0).equals("FAILED")) {
                throw new IllegalStateException("repair of keyspace " + keyspace + " failed: "
                        + String.join("; ", status.subList(1, status.size())));
            }
            Thread.sleep(REPAIR_POLL.toMillis());
        }
    }

    /** Replicated keyspaces that are Cassandra's own, which NonSystemKeyspaces still lists. */
    private static final Set<String> REPLICATED_SYSTEM_KEYSPACES =
            Set.of("system_auth", "system_distributed", "system_traces");

    @Override
    public List<String> userKeyspaces() throws Exception {
        try (JMXConnector connector = connect()) {
            return stringList(connector.getMBeanServerConnection().getAttribute(STORAGE_SERVICE, "NonSystemKeyspaces"))
                    .stream().filter(keyspace -> !REPLICATED_SYSTEM_KEYSPACES.contains(keyspace)).toList();
        }
    }

    @Override
    public void takeSnapshot(String tag, List<String> keyspaces) throws Exception {
        try (JMXConnector connector = connect()) {
            // skipFlush false: the memtables go to disk first, so the snapshot holds every acknowledged write.
            connector.getMBeanServerConnection().invoke(STORAGE_SERVICE, "takeSnapshot",
                    new Object[] {tag, Map.of("skipFlush", "false"), keyspaces.toArray(String[]::new)},
                    new String[] {String.class.getName(), Map.class.getName(), String[].class.getName()});
        }
    }

    @Override
    public void clearSnapshot(String tag) throws Exception {
        try (JMXConnector connector = connect()) {
            connector.getMBeanServerConnection().invoke(STORAGE_SERVICE, "clearSnapshot",
                    new Object[] {Map.of(), tag, new String[0]},
                    new String[] {Map.class.getName(), String.class.getName(), String[].class.getName()});
        }
    }

    @Override
    public List<String> tokens() throws Exception {
        try (JMXConnector connector = connect()) {
            return stringList(connector.getMBeanServerConnection().getAttribute(STORAGE_SERVICE, "Tokens"));
        }
    }

    @Override
    public List<String> importSSTables(String keyspace, String table, String directory) throws Exception {
        try (JMXConnector connector = connect()) {
            ObjectName tableMBean = objectName("org.apache.cassandra.db:type=Tables,keyspace=" + keyspace + ",table=" + table);
            // resetLevel, clearRepaired, verifySSTables, verifyTokens, invalidateCaches, extendedVerify, copyData:
            // nodetool import's defaults, moving the files, so what is left in the directory is what was not imported.
            Object failed = connector.getMBeanServerConnection().invoke(tableMBean, "importNewSSTables",
                    new Object[] {Set.of(directory), true, true, true, true, true, false, false},
                    new String[] {Set.class.getName(), "boolean", "boolean", "boolean", "boolean", "boolean",
                            "boolean", "boolean"});
            return stringList(failed);
        }
    }

    @Override
    public Load load() throws NodeUnreachableException {
        String text = (String) query(STORAGE_SERVICE, "LoadString");
        return new Load(text, ((Number) query(STORAGE_LOAD, "Count")).longValue());
    }

    /**
     * Reads one attribute within {@link #QUERY_TIMEOUT}: RMI calls have no read timeout of their own, and a Cassandra
     * stuck in a long GC pause must make the readiness probe fail, not hang it.
     */
    private Object query(ObjectName mbean, String attribute) throws NodeUnreachableException {
        Future<Object> answer = queries.submit(() -> queryNow(mbean, attribute));
        try {
            return answer.get(QUERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            closeQueryConnector();
            throw new NodeUnreachableException("Cassandra did not answer over JMX within " + QUERY_TIMEOUT, e);
        } catch (ExecutionException e) {
            closeQueryConnector();
            throw new NodeUnreachableException(
                    "Cassandra is not reachable over JMX: " + OperationFailure.message(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeUnreachableException("interrupted while querying Cassandra over JMX", e);
        }
    }

    /** Runs on the single query thread only. */
    private Object queryNow(ObjectName mbean, String attribute) throws Exception {
        JMXConnector connector = queryConnector;
        if (connector == null) {
            connector = connect();
            queryConnector = connector;
        }
        return connector.getMBeanServerConnection().getAttribute(mbean, attribute);
    }

    private void closeQueryConnector() {
        JMXConnector connector = queryConnector;
        queryConnector = null;
        if (connector != null) {
            try {
                connector.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("Closing a broken JMX connection failed", e);
            }
        }
    }

    private JMXConnector connect() throws IOException {
        return JMXConnectorFactory.connect(serviceUrl(access.port()), Map.of(
                JMXConnector.CREDENTIALS, new String[] {access.user(), access.password()},
                JMXConnectorFactory.DEFAULT_CLASS_LOADER, cassandraClasses));
    }

    @SuppressWarnings("unchecked")
    private static List<String> stringList(Object value) {
        return value == null ? List.of() : List.copyOf((List<String>) value);
    }

    private static ObjectName objectName(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
