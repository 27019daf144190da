package io.cassandraoperator.local.cli;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.local.kubelet.RecordedProcess;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;

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

    /** The contact points {@code up} prints: the member Services' ClusterIPs, in member order, with the CQL port. */
    public static List<InetSocketAddress> contactPoints(Cluster cluster, List<Service> services) {
        return ClusterProgress.contactPoints(cluster, services).stream()
                .map(point -> new InetSocketAddress(point.split(":")[0], Contract.Ports.CQL)).toList();
    }
}
