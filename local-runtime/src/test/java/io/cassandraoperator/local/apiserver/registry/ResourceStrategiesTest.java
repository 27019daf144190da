package io.cassandraoperator.local.apiserver.registry;

import io.cassandraoperator.local.apiserver.storage.ObjectStore;
import io.cassandraoperator.local.network.LoopbackAddressPool;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ResourceStrategiesTest {
    private static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

    @TempDir
    Path dir;
    private ObjectStore store;
    private ResourceStrategies strategies;

    @BeforeEach
    void open() {
        store = new ObjectStore(dir.resolve("objects.json"));
        store.load();
        strategies = new ResourceStrategies(store,
                new ServiceClusterIps(new LoopbackAddressPool(List.of("127.0.2."), Set::of)));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void builtInKindsHaveTheirStrategyInTheirOwnGroupOnly() {
        assertThat(strategies.forPath("/api/v1/namespaces/default/pods/p")).isInstanceOf(PodStrategy.class);
        assertThat(strategies.forPath("/api/v1/namespaces/default/services")).isInstanceOf(ServiceStrategy.class);
        assertThat(strategies.forPath("/api/v1/namespaces/default/persistentvolumeclaims/c"))
                .isInstanceOf(PersistentVolumeClaimStrategy.class);
        assertThat(strategies.forPath("/apis/apps/v1/namespaces/default/statefulsets/s"))
                .isInstanceOf(StatefulSetStrategy.class);
        assertThat(strategies.forPath("/api/v1/namespaces/default/configmaps/m")).isNotInstanceOf(PodStrategy.class)
                .isNotInstanceOf(CustomResourceStrategy.class);
    }

    @Test
    void customResourcesTakeTheStatusSubresourceFromTheirCrd() {
        CustomResourceDefinition crd = new CustomResourceDefinitionBuilder().withNewMetadata()
                .withName("pods.example.com").withUid("u1").withResourceVersion("1").endMetadata().withNewSpec()
                .withGroup("example.com").withScope("Namespaced").withNewNames().withKind("Pod").withPlural("pods")
                .withSingular("pod").endNames().addNewVersion().withName("v1").withServed(true).withStorage(true)
                .withNewSubresources().withNewStatus().endStatus().endSubresources().endVersion().endSpec().build();
        store.change(CRDS, store.key(CRDS), null, Serialization.asJson(crd));

        ResourceStrategy strategy = strategies.forPath("/apis/example.com/v1/namespaces/default/pods/p");
        assertThat(strategy).isInstanceOf(CustomResourceStrategy.class);
        assertThat(strategy.hasStatusSubresource()).isTrue();
        assertThat(strategies.forPath("/apis/example.com/v1/namespaces/default/others/o"))
                .isNotInstanceOf(CustomResourceStrategy.class);
    }
}
