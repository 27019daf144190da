package io.cassandraoperator.local.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A readiness or liveness probe of one container, with the spec's timing and thresholds: the result flips only after
 * {@code successThreshold} consecutive successes or {@code failureThreshold} consecutive failures. httpGet (2xx and 3xx
 * succeed) and tcpSocket are supported, against the pod IP unless the probe names a host.
 */
final class ContainerProbe {
    private final Probe spec;
    private final Container container;
    private final HttpClient http;
    private boolean passing;
    private int successes;
    private int failures;
    private Instant nextDue;
    private String lastFailure;

    /** {@code initiallyPassing}: liveness starts alive, readiness starts not ready. */
    ContainerProbe(Probe spec, Container container, HttpClient http, Instant containerStarted, boolean initiallyPassing) {
        this.spec = spec;
        this.container = container;
        this.http = http;
        this.passing = initiallyPassing;
        this.nextDue = containerStarted.plusSeconds(orDefault(spec.getInitialDelaySeconds(), 0));
    }

    boolean passing() {
        return passing;
    }

    String lastFailure() {
        return lastFailure;
    }

    /** Runs the probe if it is due; returns whether the result flipped. */
    boolean probeIfDue(Instant now, String podIP) {
        if (now.isBefore(nextDue)) {
            return false;
        }
        nextDue = now.plusSeconds(orDefault(spec.getPeriodSeconds(), 10));
        String failure = check(podIP);
        boolean before = passing;
        if (failure == null) {
            failures = 0;
            successes++;
            if (successes >= orDefault(spec.getSuccessThreshold(), 1)) {
                passing = true;
            }
        } else {
            lastFailure = failure;
            successes = 0;
            failures++;
            if (failures >= orDefault(spec.getFailureThreshold(), 3)) {
                passing = false;
            }
        }
        return before != passing;
    }

    /** Null on success, else why it failed. */
    private String check(String podIP) {
        Duration timeout = Duration.ofSeconds(orDefault(spec.getTimeoutSeconds(), 1));
        if (spec.getHttpGet() != null) {
            var get = spec.getHttpGet();
            String host = get.getHost() == null || get.getHost().isEmpty() ? podIP : get.getHost();
            String scheme = get.getScheme() == null ? "http" : get.getScheme().toLowerCase();
            String path = get.getPath() == null ? "/" : get.getPath();
            try {
                URI uri = URI.create(scheme + "://" + host + ":" + port(get.getPort()) + path);
                HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
                if (get.getHttpHeaders() != null) {
                    get.getHttpHeaders().forEach(header -> request.header(header.getName(), header.getValue()));
                }
                int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                return status >= 200 && status < 400 ? null : "HTTP probe failed with statuscode: " + status;
            } catch (IOException | IllegalArgumentException e) {
                return "Get \"" + scheme + "://" + host + path + "\": " + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
        if (spec.getTcpSocket() != null) {
            var tcp = spec.getTcpSocket();
            String host = tcp.getHost() == null || tcp.getHost().isEmpty() ? podIP : tcp.getHost();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port(tcp.getPort())), (int) timeout.toMillis());
                return null;
            } catch (IOException | IllegalArgumentException e) {
                return "dial tcp " + host + ": " + e.getMessage();
            }
        }
        return "the local runtime supports httpGet and tcpSocket probes only";
    }

    /** A port number, or the number of the container port with that name. */
    private int port(IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        List<ContainerPort> ports = container.getPorts() == null ? List.of() : container.getPorts();
        return ports.stream().filter(p -> port.getStrVal().equals(p.getName())).findFirst()
                .map(ContainerPort::getContainerPort)
                .orElseThrow(() -> new IllegalArgumentException("no container port named " + port.getStrVal()));
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null || value == 0 ? fallback : value;
    }
}
