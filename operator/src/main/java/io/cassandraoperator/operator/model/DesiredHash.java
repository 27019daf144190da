package io.cassandraoperator.operator.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cassandraoperator.api.Contract;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A digest of the object the operator last wanted, kept as an annotation on it. Comparing digests rather than the
 * objects themselves ignores the fields an API server fills in with defaults, so a steady cluster costs no writes.
 */
public final class DesiredHash {
    public static final String ANNOTATION = Contract.Annotations.DESIRED_HASH;
    private static final ObjectMapper JSON = new ObjectMapper();

    private DesiredHash() {
    }

    public static String of(HasMetadata desired) {
        return ofPart(desired, desired.getKind() + " " + desired.getMetadata().getName());
    }

    /** The digest of a part of a desired object (a pod template), by the same rule. */
    public static String ofPart(Object part, String what) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsString(part).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot digest " + what, e);
        }
    }

    public static String recorded(HasMetadata actual) {
        return actual.getMetadata().getAnnotations() == null ? null : actual.getMetadata().getAnnotations().get(ANNOTATION);
    }
}
