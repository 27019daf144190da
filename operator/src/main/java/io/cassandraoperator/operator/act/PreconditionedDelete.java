package io.cassandraoperator.operator.act;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * Deletes exactly the object a decision was made on: the request carries its UID as a precondition (and its
 * resourceVersion when the decision read the object's contents), so a stale cache that still holds an object whose
 * name has since been taken by a newer one gets 409 Conflict and deletes nothing. fabric8 7.5 sends only a
 * resourceVersion precondition ({@code lockResourceVersion}), so the typed {@link DeleteOptions} is sent as the body.
 */
public final class PreconditionedDelete {
    private final KubernetesClient client;

    public PreconditionedDelete(KubernetesClient client) {
        this.client = client;
    }

    /** The DeleteOptions of a delete decided on {@code decidedOn}; {@code sameVersion} adds its resourceVersion. */
    public static DeleteOptions options(HasMetadata decidedOn, boolean sameVersion) {
        return new DeleteOptionsBuilder()
                .withNewPreconditions()
                    .withUid(decidedOn.getMetadata().getUid())
                    .withResourceVersion(sameVersion ? decidedOn.getMetadata().getResourceVersion() : null)
                .endPreconditions()
                .withPropagationPolicy(DeletionPropagation.BACKGROUND.toString())
                .build();
    }

    /**
     * Deletes the object if it is still the one decided on; false when it is gone already.
     *
     * @throws KubernetesClientException 409 when the object of that name is another one (or, with
     *                                   {@code sameVersion}, changed since): nothing was deleted
     */
    public boolean delete(HasMetadata decidedOn, boolean sameVersion) {
        if (decidedOn.getMetadata().getUid() == null) {
            throw new IllegalArgumentException(decidedOn.getKind() + " " + decidedOn.getMetadata().getName()
                    + " has no UID: a delete must name the object it was decided on");
        }
        try {
            client.raw(path(decidedOn), "DELETE", options(decidedOn, sameVersion));
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static String path(HasMetadata object) {
        ResourceDefinitionContext type = ResourceDefinitionContext.fromResourceType(object.getClass());
        String group = type.getGroup() == null || type.getGroup().isEmpty() ? "/api/" + type.getVersion()
                : "/apis/" + type.getGroup() + "/" + type.getVersion();
        String namespace = type.isNamespaceScoped() ? "/namespaces/" + object.getMetadata().getNamespace() : "";
        return group + namespace + "/" + type.getPlural() + "/" + object.getMetadata().getName();
    }
}
