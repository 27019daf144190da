package io.cassandraoperator.local.apiserver;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The two halves of a request path: the resource path and its query parameters. */
public final class RequestPath {
    private RequestPath() {
    }

    public static String withoutQuery(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    /**
     * The decoded query parameters, of a repeated one its first value as Go's {@code url.Values.Get}; a parameter
     * without a value is there with an empty one.
     */
    public static Map<String, String> query(String path) {
        Map<String, String> params = new HashMap<>();
        int q = path.indexOf('?');
        if (q >= 0) {
            for (String pair : path.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.putIfAbsent(k, v);
            }
        }
        return params;
    }
}
