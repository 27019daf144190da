package io.cassandraoperator.local.cli;

import io.cassandraoperator.local.kubelet.RecordedProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The files of a local runtime under its state directory that the CLI and the daemon share. */
record StateDirectory(Path root) {
    StateDirectory {
        root = root.toAbsolutePath().normalize();
    }

    Path kubeconfig() {
        return root.resolve("kubeconfig");
    }

    /** The operator's own kubeconfig: its ServiceAccount's token, so it has exactly deploy/'s permissions. */
    Path operatorKubeconfig() {
        return root.resolve("run/operator-kubeconfig");
    }

    Path daemonPid() {
        return root.resolve("run/daemon.pid");
    }

    Path operatorPid() {
        return root.resolve("run/operator.pid");
    }

    /** Written by the daemon once everything runs: the API URL. */
    Path ready() {
        return root.resolve("run/ready");
    }

    Path daemonLog() {
        return root.resolve("logs/runtime.log");
    }

    Path operatorLog() {
        return root.resolve("logs/operator.log");
    }

    Optional<ProcessHandle> daemon() {
        return RecordedProcess.read(daemonPid());
    }

    /** The PID files of every container the kubelet started ({@code pods/<ns>/<pod>/containers/<c>.pid}). */
    List<Path> containerPidFiles() {
        Path pods = root.resolve("pods");
        if (!Files.isDirectory(pods)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(pods, 4)) {
            return files.filter(p -> p.toString().endsWith(".pid") && p.getParent().getFileName().toString()
                    .equals("containers")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Every process recorded in this state directory that still runs: daemon, operator, containers. */
    List<ProcessHandle> recordedProcesses() {
        List<ProcessHandle> processes = new ArrayList<>();
        RecordedProcess.read(daemonPid()).ifPresent(processes::add);
        RecordedProcess.read(operatorPid()).ifPresent(processes::add);
        containerPidFiles().forEach(file -> RecordedProcess.read(file).ifPresent(processes::add));
        return processes;
    }
}
