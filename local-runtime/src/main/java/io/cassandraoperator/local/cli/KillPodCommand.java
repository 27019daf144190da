package io.cassandraoperator.local.cli;

import io.cassandraoperator.local.kubelet.RecordedProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Failure injection: SIGKILL of a pod's container process trees; the kubelet restarts them as after a crash. */
@Command(name = "kill-pod", description = "Kill a pod's processes (SIGKILL); the kubelet restarts them.")
final class KillPodCommand implements Callable<Integer> {
    @ParentCommand
    CassandraLocal parent;

    @Parameters(paramLabel = "POD")
    String pod;

    @Option(names = {"-n", "--namespace"}, defaultValue = "default")
    String namespace;

    @Override
    public Integer call() {
        StateDirectory state = parent.state();
        Path containers = state.root().resolve("pods").resolve(namespace).resolve(pod).resolve("containers");
        int killed = 0;
        for (Path pidFile : state.containerPidFiles()) {
            if (pidFile.getParent().equals(containers)) {
                var process = RecordedProcess.read(pidFile);
                if (process.isPresent()) {
                    System.out.println("killing " + pidFile.getFileName().toString().replace(".pid", "")
                            + " of " + pod + " (pid " + process.get().pid() + " and its descendants)");
                    RecordedProcess.killTree(process.get());
                    killed++;
                }
            }
        }
        if (killed == 0) {
            System.out.println("no running container of pod " + namespace + "/" + pod);
            return 1;
        }
        return 0;
    }
}
