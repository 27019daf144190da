package io.cassandraoperator.agent.cassandra;

import io.cassandraoperator.api.Contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The options by which the image's {@code nodetool} reaches this member's Cassandra ({@code kubectl exec POD --
 * nodetool status}): the pod-local JMX port and user, and a password file of nodetool's own format ({@code user
 * password}; the JDK's file cannot serve, it rewrites its passwords as hashes). Both owner-only, rewritten at every
 * start since the port and password are new each time, and removed when the agent stops.
 */
public record NodetoolOptions(Path file, Path passwordFile) {

    /** The options file of this pod ({@link Contract.Paths#NODETOOL_OPTIONS_PREFIX}). */
    public static Path fileOf(String podName) {
        return Path.of(Contract.Paths.NODETOOL_OPTIONS_PREFIX + podName + Contract.Paths.NODETOOL_OPTIONS_SUFFIX);
    }

    /** Writes the options to {@code file}, its password file beside the JMX files. */
    public static NodetoolOptions write(JmxAccess jmx, Path file) {
        Path passwordFile = jmx.passwordFile().resolveSibling("nodetool.password");
        writeOwnerOnly(passwordFile, jmx.user() + " " + jmx.password() + "\n");
        writeOwnerOnly(file, String.join(" ", "-h", "127.0.0.1", "-p", Integer.toString(jmx.port()), "-u",
                jmx.user(), "-pwf", passwordFile.toString()) + "\n");
        return new NodetoolOptions(file, passwordFile);
    }

    /** Best effort, at the agent's exit: the next start rewrites both, and the pod's {@code /tmp} goes with the pod. */
    public void delete() {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(passwordFile);
        } catch (IOException e) {
            // nothing left to protect: the password they hold died with this start's Cassandra
        }
    }

    private static void writeOwnerOnly(Path file, String content) {
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
