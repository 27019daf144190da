package io.cassandraoperator.operator;

import io.cassandraoperator.operator.act.PreconditionedDelete;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Issue 17, rule 10: a delete decided on a stale copy (a cache that has not seen the object replaced or changed)
 * deletes nothing. The mock API honours DeleteOptions preconditions as a real API server does (FaultyDispatcher); the
 * request itself is checked too, since that is what any server gets.
 */
class PreconditionedDeleteTest {
    private MockApi api;

    @BeforeEach
    void start() throws Exception {
        api = new MockApi(false);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aDeleteDecidedOnAStaleObjectDoesNotDeleteTheNewerOneOfTheSameName() throws Exception {
        Service stale = api.client.services().inNamespace("test").resource(service()).create();
        api.client.services().inNamespace("test").withName("m-0").delete();
        Service newer = api.client.services().inNamespace("test").resource(service()).create();
        assertThat(newer.getMetadata().getUid()).isNotEqualTo(stale.getMetadata().getUid());
        api.drainRequests();

        KubernetesClientException refused = catchThrowableOfType(() -> new PreconditionedDelete(api.client).delete(stale, false),
                KubernetesClientException.class);
        assertThat(refused.getCode()).isEqualTo(409);
        assertThat(api.client.services().inNamespace("test").withName("m-0").get().getMetadata().getUid())
                .as("the newer Service stays").isEqualTo(newer.getMetadata().getUid());

        List<RecordedRequest> deletes = api.drainRequests().stream().filter(r -> "DELETE".equals(r.getMethod())).toList();
        assertThat(deletes).singleElement().satisfies(request -> {
            assertThat(request.getPath()).isEqualTo("/api/v1/namespaces/test/services/m-0");
            DeleteOptions options = Serialization.unmarshal(new String(request.getBody().getBytes(), StandardCharsets.UTF_8), DeleteOptions.class);
            assertThat(options.getPreconditions().getUid()).isEqualTo(stale.getMetadata().getUid());
            assertThat(options.getPreconditions().getResourceVersion()).as("uid only unless the decision read the object").isNull();
            assertThat(options.getPropagationPolicy()).isEqualTo("Background");
        });
    }

    @Test
    void aDeleteDecidedOnAnEarlierVersionOfTheSameObjectDeletesNothingWhenTheVersionCounts() {
        Service decidedOn = api.client.services().inNamespace("test").resource(service()).create();
        Service changed = api.client.services().inNamespace("test").withName("m-0")
                .edit(s -> new ServiceBuilder(s).editMetadata().addToLabels("record", "written since").endMetadata().build());

        KubernetesClientException refused = catchThrowableOfType(() -> new PreconditionedDelete(api.client).delete(decidedOn, true),
                KubernetesClientException.class);
        assertThat(refused.getCode()).isEqualTo(409);
        assertThat(refused.getMessage()).contains("ResourceVersion in precondition: " + decidedOn.getMetadata().getResourceVersion());
        assertThat(api.client.services().inNamespace("test").withName("m-0").get()).isNotNull();

        assertThat(new PreconditionedDelete(api.client).delete(changed, true)).isTrue();
        assertThat(api.client.services().inNamespace("test").withName("m-0").get()).isNull();
        assertThat(new PreconditionedDelete(api.client).delete(changed, true)).as("gone already").isFalse();
    }

    private static Service service() {
        return new ServiceBuilder().withNewMetadata().withName("m-0").withNamespace("test").endMetadata()
                .withNewSpec().withType("ClusterIP").addNewPort().withPort(9042).endPort().endSpec().build();
    }
}
