package io.cassandraoperator.local.apiserver;

import io.cassandraoperator.local.apiserver.admission.BadSpecCatalogue;
import io.cassandraoperator.local.network.LoopbackAddressPool;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Every bad Cluster, Backup and Restore of the catalogue, applied with kubectl to the local API: refused with the message a user needs. */
class AdmissionThroughKubectlTest {
    @TempDir
    static Path stateDir;
    static LocalApiServer server;

    @BeforeAll
    static void start() throws Exception {
        server = LocalApiServer.start(stateDir, 0, LoopbackAddressPool.serviceAddresses());
        for (BadSpecCatalogue.Kind kind : BadSpecCatalogue.Kind.values()) {
            assertThat(kubectl("apply", "-f", kind.crd().toString()).exitCode()).isZero();
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void deleteClusters() throws Exception {
        for (BadSpecCatalogue.Kind kind : BadSpecCatalogue.Kind.values()) {
            kubectl("delete", kind.plural(), "--all");
        }
    }

    static List<BadSpecCatalogue> catalogue() {
        return BadSpecCatalogue.all();
    }

    @ParameterizedTest
    @MethodSource("catalogue")
    void kubectlApplyOfABadSpecIsRefusedWithItsReason(BadSpecCatalogue bad) throws Exception {
        if (bad.needs() != null) {
            Result needed = apply(bad.name() + "-needs", bad.needs().toString());
            assertThat(needed.exitCode()).as(needed.output()).isZero();
        }
        if (bad.updateOf() != null) {
            Result created = apply(bad.name() + "-before", bad.updateOf().toString());
            assertThat(created.exitCode()).as(created.output()).isZero();
        }
        Result result = apply(bad.name(), bad.document().toString());
        if (bad.refusedByApi()) {
            assertThat(result.exitCode()).as(result.output()).isNotZero();
            assertThat(result.output()).contains("is invalid").contains(bad.expect());
        } else {
            assertThat(result.exitCode()).as("left to the operator: %s", result.output()).isZero();
        }
    }

    private static Result apply(String name, String json) throws Exception {
        Path file = stateDir.resolve(name + ".yaml");
        Files.writeString(file, Serialization.asYaml(Serialization.jsonMapper().readTree(json)));
        return kubectl("apply", "-f", file.toString());
    }

    record Result(int exitCode, String output) {
    }

    static Result kubectl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", server.kubeconfig().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish");
        }
        return new Result(process.exitValue(), output);
    }
}
