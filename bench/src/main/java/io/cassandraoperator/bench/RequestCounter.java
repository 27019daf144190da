package io.cassandraoperator.bench;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts every HTTP request a client sends, as reads (GET, including the start of a watch) and writes (anything else).
 * The operator gets a counted client, so its requests are told apart from the simulator's and the benchmark's.
 */
final class RequestCounter implements Interceptor {
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();

    KubernetesClient countedClient(Config config) {
        return new KubernetesClientBuilder().withConfig(config)
                .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor("request-counter", this))
                .build();
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        if ("GET".equals(request.method())) {
            reads.incrementAndGet();
        } else {
            writes.incrementAndGet();
        }
    }

    long reads() {
        return reads.get();
    }

    long writes() {
        return writes.get();
    }
}
