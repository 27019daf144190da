package io.cassandraoperator.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.cassandraoperator.local.apiserver.storage.ObjectStore;
import io.fabric8.mockwebserver.crud.AttributeSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.cassandraoperator.local.apiserver.RequestPath.withoutQuery;

/**
 * The stored pod a request for one of its subresources names ({@code pods/{name}/log}, {@code pods/{name}/exec}),
 * checked as the API server checks it before it asks the kubelet. The subresource's path is a pattern whose two
 * groups are the namespace and the pod's name.
 */
record PodSubresource(String namespace, String name, JsonNode pod) {

    static boolean matches(Pattern path, String uri) {
        return path.matcher(withoutQuery(uri)).matches();
    }

    /** @throws ApiError 404 when the URI is not such a path or the pod does not exist */
    static PodSubresource of(ObjectStore store, Pattern path, String uri) {
        Matcher m = path.matcher(withoutQuery(uri));
        if (!m.matches()) {
            throw new ApiError(404, "NotFound", "not a path of " + path + ": " + uri, null, null, List.of());
        }
        String namespace = m.group(1);
        String name = m.group(2);
        Map.Entry<AttributeSet, String> stored = store.find(store.key("/api/v1/namespaces/" + namespace + "/pods/"
                + name));
        if (stored == null) {
            throw ApiError.notFound("pods", name);
        }
        return new PodSubresource(namespace, name, JsonBodies.parse(stored.getValue()));
    }

    /**
     * The container the request names, or the pod's only one.
     *
     * @throws ApiError 400 when none is named in a pod with several, or the named one is not the pod's
     */
    String container(String requested) {
        List<String> containers = new ArrayList<>();
        pod.path("spec").path("containers").forEach(container -> containers.add(container.path("name").asText()));
        if (requested == null || requested.isEmpty()) {
            if (containers.size() != 1) {
                throw badRequest("a container name must be specified for pod " + name + ", choose one of: "
                        + containers);
            }
            return containers.get(0);
        }
        if (!containers.contains(requested)) {
            throw badRequest("container " + requested + " is not valid for pod " + name);
        }
        return requested;
    }

    ApiError badRequest(String message) {
        return new ApiError(400, "BadRequest", message, "pods", name, List.of());
    }
}
