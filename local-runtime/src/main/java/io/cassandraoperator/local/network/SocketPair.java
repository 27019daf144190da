package io.cassandraoperator.local.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client connection and its upstream connection, with bytes copied both ways in large blocks by two blocking
 * threads. When one side ends its output, the other side's output is shut down too (half-close passes through); the
 * sockets close when both directions have ended.
 */
final class SocketPair {
    private static final int BUFFER = 256 * 1024;

    private final Socket client;
    private final Socket upstream;
    private final AtomicInteger open = new AtomicInteger(2);

    SocketPair(Socket client, Socket upstream) {
        this.client = client;
        this.upstream = upstream;
    }

    void pumpUpstream() {
        pump(client, upstream);
    }

    void pumpDownstream() {
        pump(upstream, client);
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[BUFFER];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // A reset on either side ends both directions.
            ServiceProxy.closeQuietly(client);
            ServiceProxy.closeQuietly(upstream);
        } finally {
            if (open.decrementAndGet() == 0) {
                ServiceProxy.closeQuietly(client);
                ServiceProxy.closeQuietly(upstream);
            }
        }
    }
}
