package io.cassandraoperator.local.apiserver;

import io.cassandraoperator.local.apiserver.storage.ObjectStore;
import io.fabric8.mockwebserver.http.MockResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.regex.Pattern;

/** The {@code log} subresource of pods, read from the kubelet's {@link PodLogSource}. */
final class PodLogs {
    private static final Pattern LOG_PATH = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/log");

    private final ObjectStore store;
    private volatile PodLogSource source;

    PodLogs(ObjectStore store) {
        this.store = store;
    }

    void setSource(PodLogSource source) {
        this.source = source;
    }

    /** A log request resolved against the stored pod: whose log, and which kubelet serves it. */
    record LogTarget(PodLogSource source, String namespace, String pod, String container, Integer tailLines) {
    }

    static boolean isLogPath(String path) {
        return PodSubresource.matches(LOG_PATH, path);
    }

    /** Resolves {@code pods/{name}/log}: the pod must exist, the container is one of its own or its only one. */
    LogTarget target(String path) {
        PodSubresource pod = PodSubresource.of(store, LOG_PATH, path);
        QueryParameters query = QueryParameters.of(path);
        String container = pod.container(query.get("container"));
        PodLogSource logs = source;
        if (logs == null) {
            throw pod.badRequest("no kubelet serves logs");
        }
        Long tailLines = query.integer("tailLines");
        Integer tail = tailLines == null ? null : (int) Math.min(tailLines, Integer.MAX_VALUE);
        return new LogTarget(logs, pod.namespace(), pod.name(), container, tail);
    }

    /** The whole log (or its last lines) at once; {@code follow} is streamed by {@link ApiHttpServer}. */
    MockResponse get(String path) {
        LogTarget target = target(path);
        try (InputStream in = target.source().open(target.namespace(), target.pod(), target.container(),
                target.tailLines(), false)) {
            return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/plain")
                    .setBody(in.readAllBytes());
        } catch (NoSuchFileException e) {
            throw new ApiError(400, "BadRequest", "container \"" + target.container() + "\" in pod \""
                    + target.pod() + "\" is waiting to start", "pods", target.pod(), List.of());
        } catch (IOException e) {
            throw new ApiError(500, "InternalError", "reading the log failed: " + e.getMessage(), "pods",
                    target.pod(), List.of());
        }
    }
}
