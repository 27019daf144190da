package io.cassandraoperator.local.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cassandraoperator.local.apiserver.ApiError;
import io.cassandraoperator.local.network.LoopbackAddressPool;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceStrategyTest {
    private final LoopbackAddressPool pool = new LoopbackAddressPool(List.of("127.0.2."), Set::of);
    private final ServiceStrategy services = new ServiceStrategy(new ServiceClusterIps(pool));

    private static ObjectNode json(Service service) {
        return Serialization.jsonMapper().valueToTree(service);
    }

    private static ServiceBuilder service(String name) {
        return new ServiceBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().addNewPort()
                .withPort(7000).endPort().endSpec();
    }

    @Test
    void defaultsFillTypeAffinityProtocolAndTargetPort() {
        ObjectNode service = json(service("s").build());
        services.applyDefaults(service);
        assertThat(service.at("/spec/type").asText()).isEqualTo("ClusterIP");
        assertThat(service.at("/spec/sessionAffinity").asText()).isEqualTo("None");
        assertThat(service.at("/spec/ports/0/protocol").asText()).isEqualTo("TCP");
        assertThat(service.at("/spec/ports/0/targetPort").asInt()).isEqualTo(7000);
    }

    @Test
    void aFailedCreateGivesItsClusterIpBack() {
        ObjectNode first = json(service("a").build());
        Runnable release = services.allocate(first);
        String ip = first.at("/spec/clusterIP").asText();
        assertThat(first.at("/spec/clusterIPs/0").asText()).isEqualTo(ip);
        release.run();
        ObjectNode second = json(service("b").build());
        services.allocate(second);
        assertThat(second.at("/spec/clusterIP").asText()).isEqualTo(ip);
    }

    @Test
    void headlessServicesGetNoClusterIp() {
        ObjectNode headless = json(service("h").editSpec().withClusterIP("None").endSpec().build());
        services.allocate(headless);
        assertThat(headless.at("/spec/clusterIP").asText()).isEqualTo("None");
        assertThat(headless.at("/spec/clusterIPs").isMissingNode()).isTrue();
    }

    @Test
    void anUpdateKeepsTheClusterIpAndMayNotChangeIt() {
        ObjectNode current = json(service("s").build());
        services.allocate(current);
        ObjectNode leftOut = json(service("s").build());
        services.prepareForUpdate(current, leftOut);
        assertThat(leftOut.at("/spec/clusterIP")).isEqualTo(current.at("/spec/clusterIP"));
        assertThat(leftOut.at("/spec/clusterIPs")).isEqualTo(current.at("/spec/clusterIPs"));

        ObjectNode changed = json(service("s").editSpec().withClusterIP("127.0.2.200").endSpec().build());
        assertThatThrownBy(() -> services.prepareForUpdate(current, changed)).isInstanceOf(ApiError.class)
                .hasMessageContaining("field is immutable");
    }
}
