package io.cassandraoperator.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Runs the benchmarks, prints the table and writes it under {@code --out} as results.csv and results.json. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks of the operator: every figure is a count or a ratio against a baseline measured in the same run.")
public final class BenchMain implements Callable<Integer> {
    @Option(names = "--only", split = ",", description = "Benchmarks to run, by number (default: all): ${DEFAULT-VALUE}")
    List<Integer> only = List.of(1, 2, 3, 4, 5);

    @Option(names = "--sizes", split = ",", description = "Cluster counts for the control-plane benchmark: ${DEFAULT-VALUE}")
    List<Integer> sizes = List.of(10, 100, 1000);

    @Option(names = "--out", description = "Where results.csv and results.json go: ${DEFAULT-VALUE}")
    Path out = Path.of("bench/target/bench");

    @Option(names = "--project", description = "The project whose local runtime and agent image run Cassandra: ${DEFAULT-VALUE}")
    Path project = Path.of(".");

    public static void main(String[] args) {
        // The sessions present the superuser Secret's credentials; where Cassandra does not ask for them (an agent
        // without authentication) the driver would warn on every connection.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                "com.datastax.oss.driver.internal.core.auth.PlainTextAuthProviderBase")).setLevel(ch.qos.logback.classic.Level.ERROR);
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<Measurement> rows = new ArrayList<>();
        Path work = out.resolve("work").toAbsolutePath();
        if (only.contains(1) || only.contains(2) || only.contains(5)) {
            rows.addAll(withCassandra(project.toAbsolutePath().normalize(), work));
        }
        if (only.contains(3) || only.contains(4)) {
            System.out.println("Benchmarks 3 and 4: control plane with N = " + sizes);
            rows.addAll(new ControlPlaneBench(work).run(sizes));
        }
        System.out.println();
        System.out.println(ResultsTable.render(rows));
        ResultsTable.write(rows, out);
        System.out.println();
        System.out.println("Written: " + out.resolve("results.csv") + ", " + out.resolve("results.json"));
        return 0;
    }

    /**
     * Benchmarks 1, 5 and 2 on one local runtime, in that order: the bring-up leaves the example Cluster with 3
     * members, the proxy is measured on it, then the scale-down grows it to 4 and back. The bare baseline of the
     * bring-up runs first, alone.
     */
    private List<Measurement> withCassandra(Path projectDir, Path work) throws Exception {
        List<Measurement> rows = new ArrayList<>();
        BringUpBench bringUp = new BringUpBench(projectDir, work);
        double bareSeconds = 0;
        if (only.contains(1)) {
            System.out.println("Benchmark 1: bring-up; baseline: 3 members started bare, one after the other");
            rows.add(LoadAverage.now("1. bring-up, 3 members"));
            bareSeconds = bringUp.bareSeconds();
        }
        System.out.println("Starting a local runtime under " + work.resolve("runtime"));
        try (LocalRuntime runtime = LocalRuntime.start(projectDir, work.resolve("runtime"))) {
            System.out.println("Applying examples/cluster.yaml");
            double runtimeSeconds = bringUp.runtimeSeconds(runtime);
            if (only.contains(1)) {
                rows.addAll(BringUpBench.measurements(runtimeSeconds, bareSeconds));
            }
            if (only.contains(5)) {
                System.out.println("Benchmark 5: proxy overhead");
                rows.add(LoadAverage.now("5. proxy overhead"));
                rows.addAll(new ProxyOverheadBench(runtime).run(BringUpBench.CLUSTER + "-dc1-" + BringUpBench.RACK + "-0"));
            }
            if (only.contains(2)) {
                System.out.println("Benchmark 2: scale-down 4->3; baseline: a bare decommission of an equal node");
                rows.add(LoadAverage.now("2. scale-down 4->3"));
                rows.addAll(new ScaleDownBench(runtime).run());
            }
        }
        return rows;
    }
}
