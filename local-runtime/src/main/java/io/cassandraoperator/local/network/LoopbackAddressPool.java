package io.cassandraoperator.local.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Loopback addresses handed out to pods (127.0.1.x) and Services (127.0.2.x, then 127.0.3.x). Linux routes all of
 * 127.0.0.0/8 to the loopback interface, so each address can be bound by one process without configuration. An address
 * is never handed out twice while it is in use, nor while something else on this machine listens on it (another
 * runtime's pod or proxy, say, when two run side by side).
 */
public final class LoopbackAddressPool {
    /** .0 is the network, .1 is where Debian puts the host name, .255 is the broadcast address. */
    private static final int FIRST_HOST = 2;
    private static final int LAST_HOST = 254;
    private static final String TCP_LISTEN = "0A";
    private static final String IPV4_MAPPED = "0000000000000000FFFF0000";

    private final List<String> prefixes;
    private final Supplier<Set<String>> listening;
    private final Set<String> inUse = new HashSet<>();

    /** @param listening the addresses something on this machine listens on right now */
    public LoopbackAddressPool(List<String> prefixes, Supplier<Set<String>> listening) {
        this.prefixes = List.copyOf(prefixes);
        this.listening = listening;
    }

    public static LoopbackAddressPool podAddresses() {
        return new LoopbackAddressPool(List.of("127.0.1."), LoopbackAddressPool::listeningAddresses);
    }

    public static LoopbackAddressPool serviceAddresses() {
        return new LoopbackAddressPool(List.of("127.0.2.", "127.0.3."), LoopbackAddressPool::listeningAddresses);
    }

    /** The lowest address that is neither handed out nor listened on. */
    public synchronized String allocate() {
        Set<String> taken = listening.get();
        for (String prefix : prefixes) {
            for (int host = FIRST_HOST; host <= LAST_HOST; host++) {
                String address = prefix + host;
                if (!taken.contains(address) && inUse.add(address)) {
                    return address;
                }
            }
        }
        throw new IllegalStateException("no free address left in " + prefixes);
    }

    /** Marks a given address as used; false when it already is (or is not one of this pool's). */
    public synchronized boolean reserve(String address) {
        return contains(address) && inUse.add(address);
    }

    public synchronized void release(String address) {
        inUse.remove(address);
    }

    public synchronized boolean isInUse(String address) {
        return inUse.contains(address);
    }

    /** Whether the address is in this pool's ranges. */
    public boolean contains(String address) {
        for (String prefix : prefixes) {
            if (address != null && address.startsWith(prefix)) {
                String host = address.substring(prefix.length());
                if (host.matches("\\d{1,3}")) {
                    int h = Integer.parseInt(host);
                    return h >= FIRST_HOST && h <= LAST_HOST;
                }
            }
        }
        return false;
    }

    /** The IPv4 addresses with a listening TCP socket, from the kernel's tables (empty where there are none). */
    public static Set<String> listeningAddresses() {
        Set<String> addresses = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(file)) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields.length < 4 || !fields[3].equals(TCP_LISTEN) || !fields[1].contains(":")) {
                        continue;
                    }
                    String hex = fields[1].substring(0, fields[1].indexOf(':'));
                    if (hex.length() == 8) {
                        addresses.add(ipv4(hex));
                    } else if (hex.length() == 32 && hex.startsWith(IPV4_MAPPED)) {
                        addresses.add(ipv4(hex.substring(IPV4_MAPPED.length())));
                    }
                }
            } catch (IOException e) {
                // No table, no known listeners: the pool's own bookkeeping still holds.
            }
        }
        return addresses;
    }

    /** The kernel prints an IPv4 address as one little-endian 32-bit word in hex. */
    static String ipv4(String littleEndianHex) {
        return Integer.parseInt(littleEndianHex.substring(6, 8), 16) + "."
                + Integer.parseInt(littleEndianHex.substring(4, 6), 16) + "."
                + Integer.parseInt(littleEndianHex.substring(2, 4), 16) + "."
                + Integer.parseInt(littleEndianHex.substring(0, 2), 16);
    }
}
