package io.cassandraoperator.local.apiserver;

import io.cassandraoperator.local.apiserver.storage.ObjectStore;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

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
        return PodSubresource.matches(EXEC_PATH, path);
    }

    /**
     * @throws ApiError 404 when the pod does not exist, 400 when no command is given, the container is not named in a
     *                  pod with several or not one of the pod's, or no kubelet runs commands
     */
    ExecTarget target(String uri) {
        PodSubresource pod = PodSubresource.of(store, EXEC_PATH, uri);
        QueryParameters query = QueryParameters.of(uri);
        List<String> command = repeated(uri, "command");
        if (command.isEmpty()) {
            throw pod.badRequest("you must specify at least one command for the container");
        }
        String container = pod.container(query.get("container"));
        PodExecSource exec = source;
        if (exec == null) {
            throw pod.badRequest("no kubelet runs commands in pods");
        }
        return new ExecTarget(exec, pod.namespace(), pod.name(), container, command, query.flag("stdin"),
                query.flag("stdout"), query.flag("stderr"));
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
}
