package io.cassandraoperator.local.network;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Loopback addresses handed out to pods (127.0.1.x) and Services (127.0.2.x, then 127.0.3.x). Linux routes all of
 * 127.0.0.0/8 to the loopback interface, so each address can be bound by one process without configuration. An address
 * is never handed out twice while it is in use.
 */
public final class LoopbackAddressPool {
    /** .0 is the network, .1 is where Debian puts the host name, .255 is the broadcast address. */
    private static final int FIRST_HOST = 2;
    private static final int LAST_HOST = 254;

    private final List<String> prefixes;
    private final Set<String> inUse = new HashSet<>();

    public LoopbackAddressPool(List<String> prefixes) {
        this.prefixes = List.copyOf(prefixes);
    }

    public static LoopbackAddressPool podAddresses() {
        return new LoopbackAddressPool(List.of("127.0.1."));
    }

    public static LoopbackAddressPool serviceAddresses() {
        return new LoopbackAddressPool(List.of("127.0.2.", "127.0.3."));
    }

    /** The lowest free address. */
    public synchronized String allocate() {
        for (String prefix : prefixes) {
            for (int host = FIRST_HOST; host <= LAST_HOST; host++) {
                String address = prefix + host;
                if (inUse.add(address)) {
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
}
