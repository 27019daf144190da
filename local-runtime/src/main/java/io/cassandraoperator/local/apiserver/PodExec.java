package io.cassandraoperator.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.cassandraoperator.local.apiserver.storage.ObjectStore;
import io.fabric8.mockwebserver.crud.AttributeSet;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.cassandraoperator.local.apiserver.RequestPath.withoutQuery;

/**
 * The {@code exec} subresource of pods: which command, in which container, with which streams, checked against the
 * stored pod as the API server checks it before it upgrades the connection ({@link ExecStream} serves the rest).
 */
final class PodExec {
    private static final Pattern EXEC_PATH = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/exec");

    private final ObjectStore store;
    private volatile PodExecSource source;

    PodExec(ObjectStore store) {
        this.store = store;
    }

    void setSource(PodExecSource source) {
        this.source = source;
    }

    /** One exec request, resolved: the command and the streams the client asked for. */
    record ExecTarget(PodExecSource source, String namespace, String pod, String container, List<String> command,
                      boolean stdin, boolean stdout, boolean stderr) {
    }

    static boolean isExecPath(String path) {
        return EXEC_PATH.matcher(withoutQuery(path)).matches();
    }

    /**
     * @throws ApiError 404 when the pod does not exist, 400 when no command is given, the container is not named in a
     *                  pod with several or not one of the pod's, or no kubelet runs commands
     */
    ExecTarget target(String uri) {
        Matcher m = EXEC_PATH.matcher(withoutQuery(uri));
        if (!m.matches()) {
            throw new ApiError(404, "NotFound", "not an exec path: " + uri, null, null, List.of());
        }
        String namespace = m.group(1);
        String name = m.group(2);
        Map.Entry<AttributeSet, String> stored = store.find(store.key("/api/v1/namespaces/" + namespace + "/pods/"
                + name));
        if (stored == null) {
            throw ApiError.notFound("pods", name);
        }
        QueryParameters query = QueryParameters.of(uri);
        List<String> command = repeated(uri, "command");
        if (command.isEmpty()) {
            throw badRequest("you must specify at least one command for the container", name);
        }
        List<String> containers = new ArrayList<>();
        JsonBodies.parse(stored.getValue()).path("spec").path("containers")
                .forEach((JsonNode container) -> containers.add(container.path("name").asText()));
        String container = query.get("container");
        if (container == null || container.isEmpty()) {
            if (containers.size() != 1) {
                throw badRequest("a container name must be specified for pod " + name + ", choose one of: "
                        + containers, name);
            }
            container = containers.get(0);
        } else if (!containers.contains(container)) {
            throw badRequest("container " + container + " is not valid for pod " + name, name);
        }
        PodExecSource exec = source;
        if (exec == null) {
            throw badRequest("no kubelet runs commands in pods", name);
        }
        return new ExecTarget(exec, namespace, name, container, command, query.flag("stdin"), query.flag("stdout"),
                query.flag("stderr"));
    }

    /** Every value of a repeated query parameter, in order ({@code command} is one argument per value). */
    private static List<String> repeated(String uri, String parameter) {
        List<String> values = new ArrayList<>();
        int q = uri.indexOf('?');
        if (q < 0) {
            return values;
        }
        for (String pair : uri.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(parameter)) {
                values.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static ApiError badRequest(String message, String pod) {
        return new ApiError(400, "BadRequest", message, "pods", pod, List.of());
    }
}
