package io.cassandraoperator.local.apiserver;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where {@code GET pods/{name}/log} reads a container's log from; the kubelet implements it. The API server resolves
 * the container name (the pod's only container when the request names none) before asking.
 */
public interface PodLogSource {
    /**
     * @param tailLines the number of last lines to return, or null for the whole log
     * @param follow    when true the stream does not end at the current end of the log but waits for more until the
     *                  container is gone or the caller closes it
     * @return the log's bytes
     * @throws java.nio.file.NoSuchFileException when the container has no log (yet)
     */
    InputStream open(String namespace, String pod, String container, Integer tailLines, boolean follow)
            throws IOException;
}
