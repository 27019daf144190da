package io.cassandraoperator.local.apiserver.auth;

import io.cassandraoperator.local.apiserver.QueryParameters;
import io.cassandraoperator.local.apiserver.RequestPath;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a request asks to do, in the terms RBAC rules are written in, parsed as kube-apiserver's
 * {@code RequestInfoFactory} parses a request: {@code /api/v1/...} and {@code /apis/<group>/<version>/...} are
 * resource requests (verb from the method: get, list, watch, create, update, patch, delete, deletecollection), anything
 * else is a non-resource request whose verb is the lower-case method.
 */
public record RequestAttributes(RequestUser user, String verb, boolean resourceRequest, String apiGroup,
        String apiVersion, String resource, String subresource, String namespace, String name, String path) {
    /** Subresources of a Namespace, which the path names after the namespace's own name. */
    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");
    /** The pod subresources that stream, which RBAC checks as {@code create} whatever the method. */
    private static final Set<String> STREAMING_SUBRESOURCES = Set.of("exec", "attach", "portforward");

    public static RequestAttributes of(RequestUser user, String method, String uri) {
        String path = RequestPath.withoutQuery(uri);
        String nonResourceVerb = method.toLowerCase(Locale.ROOT);
        List<String> parts = new ArrayList<>(Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList());
        if (parts.size() < 3 || !(parts.get(0).equals("api") || parts.get(0).equals("apis"))) {
            return nonResource(user, nonResourceVerb, path);
        }
        String group = "";
        if (parts.get(0).equals("apis")) {
            if (parts.size() < 4) {
                return nonResource(user, nonResourceVerb, path);
            }
            group = parts.get(1);
            parts = parts.subList(2, parts.size());
        } else {
            parts = parts.subList(1, parts.size());
        }
        String version = parts.get(0);
        parts = parts.subList(1, parts.size());
        String verb = switch (method) {
            case "POST" -> "create";
            case "GET", "HEAD" -> "get";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> "";
        };
        String namespace = "";
        if (parts.get(0).equals("namespaces") && parts.size() > 1) {
            namespace = parts.get(1);
            if (parts.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(parts.get(2))) {
                parts = parts.subList(2, parts.size());
            }
        }
        String resource = parts.get(0);
        String name = parts.size() >= 2 ? parts.get(1) : "";
        String subresource = parts.size() >= 3 ? parts.get(2) : "";
        if (verb.equals("get") && resource.equals("pods") && STREAMING_SUBRESOURCES.contains(subresource)) {
            // A WebSocket upgrade is a GET, but what it does is a create (AuthorizePodWebsocketUpgradeCreatePermission).
            verb = "create";
        }
        QueryParameters query = QueryParameters.of(uri);
        if (name.isEmpty() && verb.equals("get")) {
            verb = query.flag("watch") ? "watch" : "list";
            name = exactName(query.get("fieldSelector"));
        }
        if (name.isEmpty() && verb.equals("delete")) {
            verb = "deletecollection";
        }
        return new RequestAttributes(user, verb, true, group, version, resource, subresource, namespace, name, path);
    }

    private static RequestAttributes nonResource(RequestUser user, String verb, String path) {
        return new RequestAttributes(user, verb, false, "", "", "", "", "", "", path);
    }

    /** The name a field selector requires ({@code metadata.name=x}): a list of one object is authorized by name. */
    private static String exactName(String fieldSelector) {
        if (fieldSelector == null) {
            return "";
        }
        for (String term : fieldSelector.split(",")) {
            for (String operator : List.of("metadata.name==", "metadata.name=")) {
                if (term.startsWith(operator)) {
                    return term.substring(operator.length());
                }
            }
        }
        return "";
    }

    /** The same request by another user (impersonation, an access review). */
    RequestAttributes by(RequestUser other) {
        return new RequestAttributes(other, verb, resourceRequest, apiGroup, apiVersion, resource, subresource,
                namespace, name, path);
    }

    /** {@code pods/log}, or {@code pods} without a subresource. */
    String resourceWithSubresource() {
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }
}
