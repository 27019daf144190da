package io.cassandraoperator.agent.backup;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Keeps one member's uploads at or below a rate (bytes per second over the whole run), so the node keeps serving
 * while its snapshot leaves: every stream it wraps waits before a read that would run ahead of the rate.
 */
final class UploadThrottle {
    private final long bytesPerSecond;
    private final long startNanos = System.nanoTime();
    private long granted;

    /** @param bytesPerSecond null: unlimited */
    UploadThrottle(Long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond == null ? 0 : bytesPerSecond;
    }

    InputStream wrap(InputStream in) {
        return bytesPerSecond <= 0 ? in : new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                acquire(1);
                return super.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                // At most a tenth of a second's worth at once, so the rate holds over short spans too.
                int chunk = (int) Math.max(1, Math.min(len, bytesPerSecond / 10));
                acquire(chunk);
                return super.read(b, off, chunk);
            }
        };
    }

    private void acquire(long bytes) throws IOException {
        long waitNanos;
        synchronized (this) {
            granted += bytes;
            long dueNanos = startNanos + granted * 1_000_000_000L / bytesPerSecond;
            waitNanos = dueNanos - System.nanoTime();
        }
        if (waitNanos > 0) {
            try {
                Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("upload interrupted", e);
            }
        }
    }
}
