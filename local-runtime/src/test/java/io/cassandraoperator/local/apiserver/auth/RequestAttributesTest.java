package io.cassandraoperator.local.apiserver.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests parsed into RBAC's terms as kube-apiserver's RequestInfoFactory parses them. */
class RequestAttributesTest {
    private static final RequestUser USER = RequestUser.serviceAccount("ns", "sa");

    private static RequestAttributes of(String method, String uri) {
        return RequestAttributes.of(USER, method, uri);
    }

    @Test
    void verbsComeFromTheMethodAndWhetherTheRequestNamesAnObject() {
        assertThat(of("GET", "/api/v1/namespaces/a/pods/p").verb()).isEqualTo("get");
        assertThat(of("HEAD", "/api/v1/namespaces/a/pods/p").verb()).isEqualTo("get");
        assertThat(of("GET", "/api/v1/namespaces/a/pods").verb()).isEqualTo("list");
        assertThat(of("GET", "/api/v1/namespaces/a/pods?watch=true").verb()).isEqualTo("watch");
        assertThat(of("GET", "/api/v1/namespaces/a/pods?watch=false").verb()).isEqualTo("list");
        assertThat(of("POST", "/api/v1/namespaces/a/pods").verb()).isEqualTo("create");
        assertThat(of("PUT", "/api/v1/namespaces/a/pods/p").verb()).isEqualTo("update");
        assertThat(of("PATCH", "/api/v1/namespaces/a/pods/p").verb()).isEqualTo("patch");
        assertThat(of("DELETE", "/api/v1/namespaces/a/pods/p").verb()).isEqualTo("delete");
        assertThat(of("DELETE", "/api/v1/namespaces/a/pods").verb()).isEqualTo("deletecollection");
    }

    @Test
    void aWebSocketExecIsAGetThatRbacChecksAsCreate() {
        RequestAttributes exec = of("GET", "/api/v1/namespaces/a/pods/p/exec?command=nodetool&command=status");
        assertThat(exec.verb()).isEqualTo("create");
        assertThat(exec.resourceWithSubresource()).isEqualTo("pods/exec");
        assertThat(of("GET", "/api/v1/namespaces/a/pods/p/log").verb()).as("logs stay a get").isEqualTo("get");
    }

    @Test
    void groupsResourcesSubresourcesAndScope() {
        RequestAttributes status = of("PATCH", "/apis/cassandra.rook.io/v1alpha1/namespaces/a/clusters/c/status");
        assertThat(status.apiGroup()).isEqualTo("cassandra.rook.io");
        assertThat(status.apiVersion()).isEqualTo("v1alpha1");
        assertThat(status.resourceWithSubresource()).isEqualTo("clusters/status");
        assertThat(status.namespace()).isEqualTo("a");
        assertThat(status.name()).isEqualTo("c");
        RequestAttributes nodes = of("GET", "/api/v1/nodes");
        assertThat(nodes.apiGroup()).isEmpty();
        assertThat(nodes.namespace()).as("cluster scope").isEmpty();
        assertThat(nodes.resource()).isEqualTo("nodes");
        assertThat(of("GET", "/api/v1/namespaces/a/pods/p/log?follow=true").resourceWithSubresource())
                .isEqualTo("pods/log");
        assertThat(of("GET", "/apis/apps/v1/statefulsets").namespace()).as("all namespaces").isEmpty();
    }

    @Test
    void aNamespaceIsNamedInItsOwnNamespace() {
        RequestAttributes namespace = of("GET", "/api/v1/namespaces/a");
        assertThat(namespace.resource()).isEqualTo("namespaces");
        assertThat(namespace.name()).isEqualTo("a");
        assertThat(namespace.namespace()).isEqualTo("a");
        assertThat(of("PUT", "/api/v1/namespaces/a/finalize").resourceWithSubresource()).isEqualTo("namespaces/finalize");
        assertThat(of("GET", "/api/v1/namespaces").verb()).isEqualTo("list");
    }

    @Test
    void aListOrWatchOfOneNameIsAuthorizedForThatName() {
        assertThat(of("GET", "/api/v1/namespaces/a/configmaps?fieldSelector=metadata.name%3Dm&watch=1").name())
                .isEqualTo("m");
        assertThat(of("GET", "/api/v1/namespaces/a/configmaps?fieldSelector=metadata.name!%3Dm").name()).isEmpty();
    }

    @Test
    void pathsOutsideTheResourceApisAreNonResourceRequests() {
        for (String path : new String[] {"/version", "/api", "/api/v1", "/apis", "/apis/apps", "/apis/apps/v1",
                "/openapi/v3/apis/apps/v1", "/healthz"}) {
            RequestAttributes request = of("GET", path + "?timeout=32s");
            assertThat(request.resourceRequest()).as(path).isFalse();
            assertThat(request.path()).isEqualTo(path);
            assertThat(request.verb()).isEqualTo("get");
        }
        assertThat(of("POST", "/logs").verb()).isEqualTo("post");
    }
}
