package io.cassandraoperator.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Prints the measurements as a table and writes them as CSV and JSON. */
final class ResultsTable {
    private ResultsTable() {
    }

    static String render(List<Measurement> rows) {
        String header = String.format("%-28s %-44s %14s %14s %10s %10s %8s", "benchmark", "metric", "value", "baseline", "figure", "target", "verdict");
        String lines = rows.stream().map(m -> String.format("%-28s %-44s %14s %14s %10s %10s %8s",
                m.benchmark(), m.metric() + " (" + m.unit() + ")", Measurement.format(m.value()),
                m.baseline() == null ? "" : Measurement.format(m.baseline()), Measurement.format(m.figure()),
                m.target(), m.verdict())).collect(Collectors.joining("\n"));
        return header + "\n" + "-".repeat(header.length()) + "\n" + lines;
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
