package io.cassandraoperator.local.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/**
 * Failure injection: a machine is lost. The Node object goes; the runtime's node lifecycle deletes its pods at once
 * (the kubelet kills their processes) and removes its disks.
 */
@Command(name = "delete-node", description = "Lose a node: its pods and its disks go with it.")
final class DeleteNodeCommand implements Callable<Integer> {
    @ParentCommand
    CassandraLocal parent;

    @Parameters(paramLabel = "NODE")
    String node;

    @Override
    public Integer call() {
        try (KubernetesClient client = RuntimeClient.of(parent.state())) {
            if (client.nodes().withName(node).get() == null) {
                System.out.println("no node " + node);
                return 1;
            }
            client.nodes().withName(node).delete();
            System.out.println("node " + node + " deleted: its pods and disks go with it");
            return 0;
        }
    }
}
