package io.cassandraoperator.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Prints the measurements as one table per benchmark, each under its own heading in the benchmarks' numeric order
 * (a figure is read beside its own load average and baseline, never between another benchmark's rows), and writes
 * them as CSV and JSON.
 */
final class ResultsTable {
    private static final String ROW = "%-60s %14s %14s %10s %10s %10s";

    private ResultsTable() {
    }

    static String render(List<Measurement> rows) {
        String header = String.format(ROW, "metric", "value", "baseline", "figure", "target", "verdict");
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, List<Measurement>> section : byBenchmark(rows).entrySet()) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append("## ").append(section.getKey()).append('\n').append(header).append('\n')
                    .append("-".repeat(header.length())).append('\n');
            out.append(section.getValue().stream().map(m -> String.format(ROW, m.metric() + " (" + m.unit() + ")",
                    Measurement.format(m.value()), m.baseline() == null ? "" : Measurement.format(m.baseline()),
                    Measurement.format(m.figure()), m.target(), m.verdict())).collect(Collectors.joining("\n"))).append('\n');
        }
        return out.toString();
    }

    /**
     * Rows grouped by benchmark, the groups ordered by the benchmark's number ("3. steady state" before "4. ...") and,
     * within a number, in the order they were measured.
     */
    static Map<String, List<Measurement>> byBenchmark(List<Measurement> rows) {
        Map<String, List<Measurement>> grouped = rows.stream()
                .collect(Collectors.groupingBy(Measurement::benchmark, LinkedHashMap::new, Collectors.toList()));
        Map<String, List<Measurement>> ordered = new LinkedHashMap<>();
        grouped.entrySet().stream().sorted(Comparator.comparingInt(e -> number(e.getKey())))
                .forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return ordered;
    }

    /** "3. steady state, 10 clusters" → 3; a heading without a number goes last. */
    private static int number(String heading) {
        String prefix = heading.contains(".") ? heading.substring(0, heading.indexOf('.')) : heading;
        try {
            return Integer.parseInt(prefix.trim());
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    static void write(List<Measurement> rows, Path directory) throws IOException {
        Files.createDirectories(directory);
        StringBuilder csv = new StringBuilder("benchmark,metric,unit,value,baseline,figure,target,verdict\n");
        for (Measurement m : rows) {
            csv.append(String.join(",", m.benchmark(), m.metric(), m.unit(), Measurement.format(m.value()),
                    m.baseline() == null ? "" : Measurement.format(m.baseline()), Measurement.format(m.figure()),
                    "\"" + m.target() + "\"", m.verdict())).append('\n');
        }
        Files.writeString(directory.resolve("results.csv"), csv);
        Files.writeString(directory.resolve("results.json"),
                JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(rows));
    }
}
