package io.cassandraoperator.agent.cassandra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * How the agent reaches Cassandra's JMX: a loopback port it picked and a password it generated at start. All pods of
 * the local runtime share the machine's loopback, so the password, not the address, is what keeps other pods out.
 */
public record JmxAccess(int port, String user, String password, Path passwordFile, Path accessFile) {

    public static final String USER = "cassandra-agent";

    @Override
    public String toString() {
        return "JmxAccess[port=" + port + ", user=" + user + "]";
    }

    /** Picks a free loopback port, generates a fresh password and writes the JDK's password and access files. */
    public static JmxAccess create(Path directory) {
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Path passwordFile = directory.resolve("jmxremote.password");
        Path accessFile = directory.resolve("jmxremote.access");
        writeOwnerOnly(passwordFile, USER + " " + password + "\n");
        writeOwnerOnly(accessFile, USER + " readwrite\n");
        return new JmxAccess(freeLoopbackPort(), USER, password, passwordFile, accessFile);
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port for JMX", e);
        }
    }

    private static void writeOwnerOnly(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            // Recreated on every start: the JDK rewrites the password file with a hash of the previous password.
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
