package io.cassandraoperator.local.cli;

import io.cassandraoperator.local.kubelet.RecordedProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The files of a local runtime under its state directory that the CLI and the daemon share. */
record StateDirectory(Path root) {
    private static final Pattern OPERATOR_PID = Pattern.compile("operator(?:-(\\d+))?\\.pid");

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

    /** The first operator's PID file; with {@code up --operators N} the others are {@code run/operator-<slot>.pid}. */
    Path operatorPid() {
        return operatorPid(1);
    }

    Path operatorPid(int slot) {
        return root.resolve("run/" + operatorFile(slot) + ".pid");
    }

    /** The leader-election identity of the operator now started in that slot. */
    Path operatorIdentity(int slot) {
        return root.resolve("run/" + operatorFile(slot) + ".identity");
    }

    /** Written by the daemon once everything runs: the API URL. */
    Path ready() {
        return root.resolve("run/ready");
    }

    Path daemonLog() {
        return root.resolve("logs/runtime.log");
    }

    Path operatorLog() {
        return operatorLog(1);
    }

    Path operatorLog(int slot) {
        return root.resolve("logs/" + operatorFile(slot) + ".log");
    }

    /** The slots whose operator has a PID file, in order: 1 for {@code run/operator.pid}, N for {@code run/operator-N.pid}. */
    List<Integer> operatorSlots() {
        Path run = root.resolve("run");
        if (!Files.isDirectory(run)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(run)) {
            return files.map(p -> p.getFileName().toString()).map(OPERATOR_PID::matcher).filter(Matcher::matches)
                    .map(m -> m.group(1) == null ? 1 : Integer.parseInt(m.group(1))).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The operators that run now, each with its slot and its leader-election identity. */
    List<RunningOperator> runningOperators() {
        List<RunningOperator> running = new ArrayList<>();
        for (int slot : operatorSlots()) {
            Optional<ProcessHandle> process = RecordedProcess.read(operatorPid(slot));
            if (process.isPresent()) {
                String identity;
                try {
                    identity = Files.readString(operatorIdentity(slot)).trim();
                } catch (IOException e) {
                    identity = "";
                }
                running.add(new RunningOperator(slot, process.get(), identity));
            }
        }
        return running;
    }

    private static String operatorFile(int slot) {
        return slot == 1 ? "operator" : "operator-" + slot;
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
        operatorSlots().forEach(slot -> RecordedProcess.read(operatorPid(slot)).ifPresent(processes::add));
        containerPidFiles().forEach(file -> RecordedProcess.read(file).ifPresent(processes::add));
        return processes;
    }
}
