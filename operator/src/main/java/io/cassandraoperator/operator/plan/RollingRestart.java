package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Contract;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A rack whose new pod template restarts its members, and why: what the operator reports (Event, log, metric) when it
 * writes the template. Only the parts the operator itself puts in the template are compared, never the template as
 * the API server returns it (which carries defaults), and a write that leaves the template as it was is no restart.
 *
 * @param statefulSet the rack's StatefulSet
 * @param reasons     at least one
 * @param detail      what changed, for people: "version 5.0.6 to 5.0.8; configuration (ConfigMap c-config)"
 * @param template    the new template's digest: one restart per template
 */
public record RollingRestart(String statefulSet, List<RestartReason> reasons, String detail, String template) {

    /** The restart writing {@code desired} over {@code actual} causes, or empty when the pod template stays. */
    public static Optional<RollingRestart> between(StatefulSet actual, StatefulSet desired) {
        String recordedTemplate = templateHash(actual);
        String desiredTemplate = templateHash(desired);
        PodTemplateSpec before = actual.getSpec().getTemplate();
        PodTemplateSpec after = desired.getSpec().getTemplate();
        List<RestartReason> reasons = new ArrayList<>();
        List<String> details = new ArrayList<>();
        Container oldContainer = container(before);
        Container newContainer = container(after);
        if (!Objects.equals(oldContainer.getImage(), newContainer.getImage())) {
            reasons.add(RestartReason.VERSION);
            details.add("image " + oldContainer.getImage() + " to " + newContainer.getImage());
        }
        if (!Objects.equals(oldContainer.getResources(), newContainer.getResources())) {
            reasons.add(RestartReason.RESOURCES);
            details.add("resources");
        }
        Map<String, String> oldAnnotations = before.getMetadata() == null ? null : before.getMetadata().getAnnotations();
        Map<String, String> newAnnotations = after.getMetadata() == null ? null : after.getMetadata().getAnnotations();
        if (changed(oldAnnotations, newAnnotations, Contract.Annotations.JVM_OPTIONS_HASH)) {
            reasons.add(RestartReason.JVM_OPTIONS);
            details.add("JVM options (key " + Contract.UserConfig.JVM_OPTIONS + " of the rack's ConfigMap)");
        }
        if (changed(oldAnnotations, newAnnotations, Contract.Annotations.CONFIG_HASH)) {
            reasons.add(RestartReason.CONFIGURATION);
            details.add("configuration (contents of the rack's ConfigMap)");
        }
        if (changed(oldAnnotations, newAnnotations, Contract.Annotations.FORCE_REDEPLOYMENT_REASON)) {
            reasons.add(RestartReason.FORCED);
            details.add("forced: " + annotation(newAnnotations, Contract.Annotations.FORCE_REDEPLOYMENT_REASON));
        }
        // An older operator's StatefulSet has no template digest: only the parts named above tell a restart then.
        boolean templateChanged = recordedTemplate == null ? !reasons.isEmpty() : !recordedTemplate.equals(desiredTemplate);
        if (!templateChanged) {
            return Optional.empty();
        }
        if (reasons.isEmpty()) {
            reasons.add(RestartReason.POD_TEMPLATE);
            details.add("pod template (placement, annotations or the operator's own template)");
        }
        return Optional.of(new RollingRestart(desired.getMetadata().getName(), List.copyOf(reasons), String.join("; ", details),
                desiredTemplate));
    }

    /** The reasons as Events and logs say them: "Version, Configuration". */
    public String reasonTags() {
        return String.join(", ", reasons.stream().map(RestartReason::tag).toList());
    }

    private static Container container(PodTemplateSpec template) {
        return template.getSpec().getContainers().get(0);
    }

    /** The digest of the pod template the StatefulSet was written with ({@code cassandra.rook.io/template-hash}). */
    static String templateHash(StatefulSet statefulSet) {
        return annotation(statefulSet.getMetadata().getAnnotations(), Contract.Annotations.TEMPLATE_HASH);
    }

    private static boolean changed(Map<String, String> before, Map<String, String> after, String key) {
        return !Objects.equals(annotation(before, key), annotation(after, key));
    }

    private static String annotation(Map<String, String> annotations, String key) {
        return annotations == null ? null : annotations.get(key);
    }
}
