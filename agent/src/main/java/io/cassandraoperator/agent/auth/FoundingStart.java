package io.cassandraoperator.agent.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * The founding member's first start (#17 rule 8): the only start on which Cassandra creates its default role
 * {@code cassandra}/{@code cassandra}, because it does so only in a cluster without any role. This start runs Cassandra
 * with CQL on a loopback port only, until {@link SuperuserRole} created the cluster's own role and disabled the default
 * one; then the agent records it on the volume and restarts Cassandra with CQL on the pod's address.
 * <p>
 * Why a restart and not the native transport held off: the agent itself needs CQL to create the role (Cassandra 5.0.6
 * has no property that skips the default role, and nothing but CQL creates one), and Cassandra cannot move its native
 * transport to another address without a restart. Only this one start pays it: every other member joins a cluster that
 * has roles, where Cassandra creates none. On Kubernetes the pod's loopback is its own; on the local runtime every pod
 * shares the machine's, which is why the port is a free one picked at start, as for JMX.
 */
public final class FoundingStart {

    private FoundingStart() {
    }

    /**
     * @param superuserEnsuredBefore the volume records that the cluster's role was ensured on it
     * @param seedsForCassandra      the seeds this start gives Cassandra
     */
    public static boolean applies(boolean credentialsConfigured, boolean superuserEnsuredBefore, List<String> seedsForCassandra,
                                  String broadcastAddress) {
        // Only the first member of a cluster is its own only seed; every other member has the roles from a seed.
        return credentialsConfigured && !superuserEnsuredBefore && seedsForCassandra.equals(List.of(broadcastAddress));
    }

    /**
     * Cassandra's command for the founding start: the default role created as soon as the node is NORMAL instead of
     * {@code superuser_setup_delay_ms} (10 s) later, since nothing outside the pod can use it and the restart waits for it.
     * First after the java binary, so that the image's extra options may still override it.
     */
    public static List<String> command(List<String> ordinaryCommand) {
        List<String> command = new ArrayList<>(ordinaryCommand);
        command.add(1, "-Dcassandra.superuser_setup_delay_ms=0");
        return command;
    }

    /** A free port on 127.0.0.1 for CQL during the founding start. */
    public static InetSocketAddress loopbackCql() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket socket = new ServerSocket(0, 1, loopback)) {
            return new InetSocketAddress(loopback, socket.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port for CQL", e);
        }
    }
}
