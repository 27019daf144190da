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

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<Measurement> rows = new ArrayList<>();
        if (only.contains(3) || only.contains(4)) {
            System.out.println("Benchmarks 3 and 4: control plane with N = " + sizes);
            rows.addAll(new ControlPlaneBench(out.resolve("work")).run(sizes));
        }
        System.out.println();
        System.out.println(ResultsTable.render(rows));
        ResultsTable.write(rows, out);
        System.out.println();
        System.out.println("Written: " + out.resolve("results.csv") + ", " + out.resolve("results.json"));
        return 0;
    }
}
