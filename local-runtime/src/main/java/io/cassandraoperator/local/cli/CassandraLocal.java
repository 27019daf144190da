package io.cassandraoperator.local.cli;

import ch.qos.logback.classic.Level;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code bin/cassandra-local}: a local Kubernetes stand-in running the operator and real Cassandra on this machine. */
@Command(name = "cassandra-local", mixinStandardHelpOptions = true,
        description = "Runs the Cassandra operator and real Cassandra members on this machine.",
        subcommands = {UpCommand.class, StatusCommand.class, DownCommand.class, KillPodCommand.class,
                DeleteNodeCommand.class, WipeDiskCommand.class, DaemonCommand.class})
public final class CassandraLocal {
    /** Set by bin/cassandra-local; defaults to the working directory. */
    static final String PROJECT_PROPERTY = "cassandra.local.project";

    @Option(names = "--state-dir", description = "state directory (default: .local/ under the project)",
            scope = CommandLine.ScopeType.INHERIT)
    Path stateDir;

    Path projectDir() {
        return Path.of(System.getProperty(PROJECT_PROPERTY, ".")).toAbsolutePath().normalize();
    }

    StateDirectory state() {
        return new StateDirectory(stateDir != null ? stateDir : projectDir().resolve(".local"));
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line; the daemon logs at INFO, the user-facing commands print and log only warnings. */
    public static int run(String... args) {
        boolean daemon = args.length > 0 && args[0].equals("daemon");
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(daemon ? Level.INFO : Level.WARN);
        // The CLI prints its own messages; the client's warning about the v1alpha1 API is noise to a user.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.fabric8"))
                .setLevel(daemon ? Level.WARN : Level.ERROR);
        return new CommandLine(new CassandraLocal()).execute(args);
    }
}
