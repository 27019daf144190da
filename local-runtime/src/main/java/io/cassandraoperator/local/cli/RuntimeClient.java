package io.cassandraoperator.local.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** A client of a running local runtime, configured from its kubeconfig like kubectl. */
final class RuntimeClient {
    private static final int REQUEST_TIMEOUT_MILLIS = 60_000;
    private RuntimeClient() {
    }

    static KubernetesClient of(StateDirectory state) {
        try {
            Config config = Config.fromKubeconfig(Files.readString(state.kubeconfig()));
            // A laptop busy starting Cassandra JVMs can take longer than the default 10 s to answer.
            config.setRequestTimeout(REQUEST_TIMEOUT_MILLIS);
            return new KubernetesClientBuilder().withConfig(config).build();
        } catch (IOException e) {
            throw new UncheckedIOException("no kubeconfig at " + state.kubeconfig() + ": is the runtime up?", e);
        }
    }
}
