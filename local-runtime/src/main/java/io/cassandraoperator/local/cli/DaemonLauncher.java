package io.cassandraoperator.local.cli;

import io.cassandraoperator.local.kubelet.ImageCatalog;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

/** Starts the runtime daemon detached from the terminal (its own session), so it outlives the CLI and Ctrl-C. */
final class DaemonLauncher {
    private DaemonLauncher() {
    }

    static ProcessHandle launch(StateDirectory state, java.nio.file.Path projectDir, Duration timeout, int operators)
            throws IOException, InterruptedException {
        Files.createDirectories(state.daemonLog().getParent());
        Files.deleteIfExists(state.ready());
        List<String> command = List.of("setsid", ImageCatalog.javaBinary(), "-Xmx512m", "-XX:+UseSerialGC",
                "-D" + CassandraLocal.PROJECT_PROPERTY + "=" + projectDir,
                "-cp", System.getProperty("java.class.path"), CassandraLocal.class.getName(),
                "daemon", "--state-dir", state.root().toString(), "--operators", Integer.toString(operators));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(state.daemonLog().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(state.ready())) {
                return state.daemon().orElseThrow(() -> new IllegalStateException("the runtime stopped right after"
                        + " starting; see " + state.daemonLog()));
            }
            if (!process.isAlive() && state.daemon().isEmpty()) {
                throw new IllegalStateException("the runtime failed to start; see " + state.daemonLog());
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the runtime did not come up within " + timeout.toSeconds() + "s; see "
                + state.daemonLog());
    }
}
