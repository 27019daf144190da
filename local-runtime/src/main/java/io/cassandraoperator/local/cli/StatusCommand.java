package io.cassandraoperator.local.cli;

import io.cassandraoperator.api.Cluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

/** Whether the runtime runs, its processes, and each Cluster's members. */
@Command(name = "status", description = "Show the runtime's processes, the Clusters and their members.")
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
