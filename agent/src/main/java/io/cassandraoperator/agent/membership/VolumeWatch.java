package io.cassandraoperator.agent.membership;

import io.cassandraoperator.agent.threads.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Looks at the data volume every few seconds once Cassandra is NORMAL and tells {@code onLoss} if it vanished. */
public final class VolumeWatch implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeWatch.class);
    static final Duration PERIOD = Duration.ofSeconds(3);

    private final Path dataDir;
    private final Consumer<String> onLoss;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("volume-watch"));

    public VolumeWatch(Path dataDir, Consumer<String> onLoss) {
        this.dataDir = dataDir;
        this.onLoss = onLoss;
    }

    /** Arms the watch (told by NormalWatch, after the joined marker was written). */
    @Override
    public void run() {
        Optional<VanishedVolume> volume = VanishedVolume.watch(dataDir);
        if (volume.isEmpty()) {
            LOG.warn("Not watching {} for a vanished volume: it carries no joined marker at NORMAL", dataDir);
            scheduler.shutdown();
            return;
        }
        scheduler.scheduleWithFixedDelay(() -> volume.get().look().ifPresent(evidence -> {
            scheduler.shutdown();
            onLoss.accept(evidence);
        }), PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }
}
