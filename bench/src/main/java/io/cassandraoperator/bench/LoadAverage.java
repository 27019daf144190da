package io.cassandraoperator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's 1-minute load average when a benchmark starts: these machines are shared, the figures need it. */
final class LoadAverage {
    private LoadAverage() {
    }

    static Measurement now(String benchmark) throws IOException {
        double load = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        return Measurement.count(benchmark, "load average at start", load,
                Runtime.getRuntime().availableProcessors() + " cores", null);
    }
}
