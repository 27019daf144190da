package io.cassandraoperator.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The runtime renders deploy/overlays/cluster-wide's identity and RBAC exactly as {@code kubectl kustomize} does. */
class OperatorRbacTest {
    private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();
    private static final Set<String> KINDS = Set.of("Namespace", "ServiceAccount", "Role", "ClusterRole",
            "RoleBinding", "ClusterRoleBinding");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding");

    @Test
    void rendersTheOverlayAsKubectlKustomizeDoes() throws Exception {
        Process kustomize = new ProcessBuilder("kubectl", "kustomize", PROJECT.resolve(OperatorRbac.OVERLAY).toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] output = kustomize.getInputStream().readAllBytes();
        assertThat(kustomize.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(kustomize.exitValue()).isZero();
        List<HasMetadata> rendered = Serialization.unmarshal(new ByteArrayInputStream(output));
        List<JsonNode> kubectl = rendered.stream().filter(o -> KINDS.contains(o.getKind())).map(OperatorRbacTest::tree)
                .toList();

        OperatorRbac rbac = OperatorRbac.of(PROJECT);
        // kustomize prints them sorted by kind; the runtime applies them in the files' order (the Namespace first)
        assertThat(rbac.objects().stream().map(OperatorRbacTest::tree).toList()).containsExactlyInAnyOrderElementsOf(kubectl);
        assertThat(rbac.objects().get(0).getKind()).isEqualTo("Namespace");
        assertThat(rbac.serviceAccount().getMetadata().getNamespace()).isEqualTo("cassandra-operator");
        assertThat(rbac.serviceAccount().getMetadata().getName()).isEqualTo("cassandra-operator");
        assertThat(rbac.objects()).extracting(HasMetadata::getKind).contains("ClusterRole", "ClusterRoleBinding")
                .doesNotContain("Role", "RoleBinding", "Deployment", "CustomResourceDefinition");
    }

    private static JsonNode tree(HasMetadata object) {
        ObjectNode node = Serialization.jsonMapper().valueToTree(object);
        if (CLUSTER_SCOPED.contains(object.getKind())) {
            // kustomize leaves the namespace on a Role it patched into a ClusterRole; the API server drops it
            ((ObjectNode) node.get("metadata")).remove("namespace");
        }
        return node;
    }
}
