package io.cassandraoperator.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.cassandraoperator.local.apiserver.storage.ObjectStore;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.cassandraoperator.local.apiserver.RequestPath.withoutQuery;

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
        return LOG_PATH.matcher(withoutQuery(path)).matches();
    }

    /** Resolves {@code pods/{name}/log}: the pod must exist, the container defaults to its only one. */
    LogTarget target(String path) {
        Matcher m = LOG_PATH.matcher(withoutQuery(path));
        if (!m.matches()) {
            throw new ApiError(404, "NotFound", "not a log path: " + path, null, null, List.of());
        }
        String namespace = m.group(1);
        String name = m.group(2);
        QueryParameters query = QueryParameters.of(path);
        Map.Entry<AttributeSet, String> stored = store.find(store.key("/api/v1/namespaces/" + namespace + "/pods/"
                + name));
        if (stored == null) {
            throw ApiError.notFound("pods", name);
        }
        JsonNode pod = JsonBodies.parse(stored.getValue());
        String container = query.get("container");
        if (container == null) {
            JsonNode containers = pod.path("spec").path("containers");
            if (containers.size() != 1) {
                throw new ApiError(400, "BadRequest", "a container name must be specified for pod " + name,
                        "pods", name, List.of());
            }
            container = containers.get(0).path("name").asText();
        }
        PodLogSource logs = source;
        if (logs == null) {
            throw new ApiError(400, "BadRequest", "no kubelet serves logs", "pods", name, List.of());
        }
        Long tailLines = query.integer("tailLines");
        Integer tail = tailLines == null ? null : (int) Math.min(tailLines, Integer.MAX_VALUE);
        return new LogTarget(logs, namespace, name, container, tail);
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
