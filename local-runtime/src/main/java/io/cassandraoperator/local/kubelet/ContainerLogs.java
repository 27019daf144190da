package io.cassandraoperator.local.kubelet;

import io.cassandraoperator.local.apiserver.PodLogSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The containers' log files (stdout and stderr of every run of the container, appended), for {@code kubectl logs}. */
public final class ContainerLogs implements PodLogSource {
    private static final long FOLLOW_POLL_MILLIS = 200;
    private final KubeletSettings settings;

    ContainerLogs(KubeletSettings settings) {
        this.settings = settings;
    }

    /** The log file of a container; without a container name, the pod's only container. */
    public Optional<Path> file(String namespace, String pod, String container) {
        Path logs = settings.podDirectory(namespace, pod).resolve("logs");
        if (container != null) {
            Path file = KubeletSettings.logFile(settings.podDirectory(namespace, pod), container);
            return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
        }
        if (!Files.isDirectory(logs)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(logs)) {
            List<Path> all = files.filter(p -> p.toString().endsWith(".log")).toList();
            return all.size() == 1 ? Optional.of(all.get(0)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public InputStream open(String namespace, String pod, String container, Integer tailLines, boolean follow)
            throws IOException {
        Path log = file(namespace, pod, container).orElseThrow(() -> new NoSuchFileException(
                "container " + container + " of pod " + namespace + "/" + pod + " has no log yet"));
        if (follow) {
            return follow(log, tailLines);
        }
        List<String> lines = lines(log, tailLines);
        String text = lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The last {@code tailLines} lines (all when null). */
    public static List<String> lines(Path file, Integer tailLines) throws IOException {
        List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
        return tailLines == null || tailLines >= all.size() ? all : all.subList(all.size() - tailLines, all.size());
    }

    /**
     * The log from the start of its last {@code tailLines} lines on, then whatever the container writes, until the
     * stream is closed (kubectl logs -f).
     */
    public static InputStream follow(Path file, Integer tailLines) throws IOException {
        long start = tailLines == null ? 0 : offsetOfLastLines(file, tailLines);
        RandomAccessFile log = new RandomAccessFile(file.toFile(), "r");
        log.seek(start);
        return new InputStream() {
            private volatile boolean closed;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                while (!closed) {
                    int n = log.read(buffer, offset, length);
                    if (n > 0) {
                        return n;
                    }
                    try {
                        Thread.sleep(FOLLOW_POLL_MILLIS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return -1;
                    }
                }
                return -1;
            }

            @Override
            public void close() throws IOException {
                closed = true;
                log.close();
            }
        };
    }

    private static long offsetOfLastLines(Path file, int lines) throws IOException {
        byte[] content = Files.readAllBytes(file);
        int seen = 0;
        for (int i = content.length - 1; i >= 0; i--) {
            if (content[i] == '\n' && i != content.length - 1 && ++seen == lines) {
                return i + 1;
            }
        }
        return 0;
    }
}
