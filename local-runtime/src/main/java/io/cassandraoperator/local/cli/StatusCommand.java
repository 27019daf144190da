package io.cassandraoperator.local.cli;

import io.cassandraoperator.api.Cluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.Callable;

/** Whether the runtime runs, its processes, which operator leads, and each Cluster's members. */
@Command(name = "status", description = "Show the runtime's processes, which operator holds the Lease, the Clusters and their members.")
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    CassandraLocal parent;

    @Override
    public Integer call() {
        StateDirectory state = parent.state();
        var daemon = state.daemon();
        if (daemon.isEmpty()) {
            System.out.println("runtime: not running (state " + state.root() + ")");
            return 3;
        }
        System.out.println("runtime:    running (pid " + daemon.get().pid() + "), log " + state.daemonLog());
        System.out.println("kubeconfig: " + state.kubeconfig());
        System.out.println("processes:  " + state.recordedProcesses().size() + " recorded and running");
        try (KubernetesClient client = RuntimeClient.of(state)) {
            Lease lease = client.leases().inNamespace(OperatorProcess.LEASE_NAMESPACE)
                    .withName(OperatorLeadership.LEASE_NAME).get();
            List<String> operators = OperatorLeadership.lines(state.runningOperators(), lease, ZonedDateTime.now(ZoneOffset.UTC));
            for (int i = 0; i < operators.size(); i++) {
                System.out.println((i == 0 ? "operators:  " : "            ") + operators.get(i));
            }
            List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
            for (Cluster cluster : client.resources(Cluster.class).inAnyNamespace().list().getItems()) {
                ClusterProgress.lines(cluster, pods).forEach(System.out::println);
                System.out.println("  CQL: " + String.join(",", ClusterProgress.contactPoints(cluster,
                        client.services().inNamespace(cluster.getMetadata().getNamespace()).list().getItems())));
            }
        }
        return 0;
    }
}
