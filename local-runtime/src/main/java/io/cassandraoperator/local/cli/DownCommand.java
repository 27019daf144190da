package io.cassandraoperator.local.cli;

import io.cassandraoperator.local.kubelet.RecordedProcess;
import org.apache.commons.io.file.PathUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Stops the runtime: SIGTERM to the daemon, which stops the operator, every pod within its grace period and then the
 * API (saving its objects). Any recorded process still running afterwards (a daemon that died earlier leaves its pods
 * behind) is killed by PID. Data is kept unless {@code --purge}.
 */
@Command(name = "down", description = "Stop every process of the runtime (data kept; --purge deletes the state).")
final class DownCommand implements Callable<Integer> {
    @ParentCommand
    CassandraLocal parent;

    @Option(names = "--purge", description = "also delete the state directory (all data)")
    boolean purge;

    @Option(names = "--timeout", defaultValue = "PT5M", description = "wait this long for a graceful stop (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        StateDirectory state = parent.state();
        var daemon = state.daemon();
        if (daemon.isPresent()) {
            System.out.println("stopping the runtime (pid " + daemon.get().pid() + "): operator, pods, API");
            daemon.get().destroy();
            try {
                daemon.get().onExit().get(timeout.toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                System.out.println("the runtime did not stop within " + timeout.toSeconds() + "s: killing it");
                RecordedProcess.killTree(daemon.get());
            }
        } else {
            System.out.println("runtime not running");
        }
        List<ProcessHandle> leftovers = state.recordedProcesses();
        for (ProcessHandle process : leftovers) {
            System.out.println("killing leftover process " + process.pid() + " "
                    + process.info().commandLine().orElse(""));
            RecordedProcess.killTree(process);
        }
        if (purge) {
            if (Files.exists(state.root())) {
                PathUtils.deleteDirectory(state.root());
            }
            System.out.println("deleted " + state.root());
        } else {
            System.out.println("stopped; data kept in " + state.root());
        }
        return 0;
    }
}
