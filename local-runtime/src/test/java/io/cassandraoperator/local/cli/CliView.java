package io.cassandraoperator.local.cli;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.local.kubelet.RecordedProcess;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the CLI itself reads from a runtime's state directory, opened to the end-to-end tests outside this package: the
 * tests see the runtime through the same code a user's {@code cassandra-local} does, not through a copy of it.
 */
public final class CliView {
    private CliView() {
    }

    /** A client configured from the runtime's kubeconfig, as the CLI's commands make it. */
    public static KubernetesClient client(Path state) {
        return RuntimeClient.of(new StateDirectory(state));
    }

    public static Path kubeconfig(Path state) {
        return new StateDirectory(state).kubeconfig();
    }

    public static Path operatorLog(Path state) {
        return new StateDirectory(state).operatorLog();
    }

    /** Every process the runtime recorded (daemon, operator, containers) that still runs. */
    public static List<ProcessHandle> recordedProcesses(Path state) {
        return new StateDirectory(state).recordedProcesses();
    }

    /** The operator process the runtime runs, from its PID file. */
    public static Optional<ProcessHandle> operator(Path state) {
        return RecordedProcess.read(new StateDirectory(state).operatorPid());
    }

    /**
     * Starts an operator of the runtime in that slot ({@code run/operator-<slot>.pid}, {@code logs/operator-<slot>.log}),
     * exactly as the daemon starts its own but not restarted when it exits: a second replica the caller stops by PID.
     */
    public static Process startOperator(Path state, int slot) throws IOException {
        return OperatorProcess.launch(new StateDirectory(state), CliProcess.classpath(), slot);
    }

    public static Path operatorLog(Path state, int slot) {
        return new StateDirectory(state).operatorLog(slot);
    }

    /** The running operator that holds the leader-election Lease, as {@code status} tells it. */
    public static Optional<ProcessHandle> leader(Path state, KubernetesClient client) {
        return OperatorLeadership.leader(new StateDirectory(state).runningOperators(), lease(client))
                .map(RunningOperator::process);
    }

    /** The identity in the operators' Lease, empty while nobody holds it. */
    public static String leaseHolder(KubernetesClient client) {
        Lease lease = lease(client);
        return lease == null || lease.getSpec().getHolderIdentity() == null ? "" : lease.getSpec().getHolderIdentity();
    }

    private static Lease lease(KubernetesClient client) {
        return client.leases().inNamespace(OperatorProcess.LEASE_NAMESPACE).withName(OperatorLeadership.LEASE_NAME).get();
    }

    /** The contact points {@code up} prints: the member Services' ClusterIPs, in member order, with the CQL port. */
    public static List<InetSocketAddress> contactPoints(Cluster cluster, List<Service> services) {
        return ClusterProgress.contactPoints(cluster, services).stream()
                .map(point -> new InetSocketAddress(point.split(":")[0], Contract.Ports.CQL)).toList();
    }
}
