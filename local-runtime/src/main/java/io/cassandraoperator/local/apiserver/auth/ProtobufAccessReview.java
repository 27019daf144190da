package io.cassandraoperator.local.apiserver.auth;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.cassandraoperator.local.apiserver.ApiError;
import io.fabric8.kubernetes.api.model.authorization.v1.NonResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code SelfSubjectAccessReview} sent as Kubernetes protobuf, as kubectl sends built-in kinds ({@code kubectl auth
 * can-i}), read into the fabric8 type: the {@code k8s\0} envelope ({@code runtime.Unknown}, its {@code raw} field 2),
 * then the review's spec (field 2) with its resource (1) or non-resource (2) attributes, by the field numbers of
 * {@code k8s.io/api/authorization/v1/generated.proto}. Only the spec is read: that is all a review is answered from.
 */
final class ProtobufAccessReview {
    private static final byte[] MAGIC = {'k', '8', 's', 0};

    private ProtobufAccessReview() {
    }

    static boolean isProtobuf(String contentType) {
        return contentType != null && contentType.contains("protobuf");
    }

    static SelfSubjectAccessReview read(byte[] body) {
        if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
            throw new ApiError(400, "BadRequest", "a protobuf body starts with k8s\\0", null, null, List.of());
        }
        try {
            ByteString raw = fields(CodedInputStream.newInstance(body, MAGIC.length, body.length - MAGIC.length)).get(2);
            Map<Integer, ByteString> review = fields(raw == null ? ByteString.EMPTY : raw);
            Map<Integer, ByteString> spec = fields(review.getOrDefault(2, ByteString.EMPTY));
            SelfSubjectAccessReviewSpec readSpec = new SelfSubjectAccessReviewSpec();
            if (spec.containsKey(1)) {
                Map<Integer, ByteString> r = fields(spec.get(1));
                readSpec.setResourceAttributes(new ResourceAttributesBuilder().withNamespace(text(r, 1))
                        .withVerb(text(r, 2)).withGroup(text(r, 3)).withVersion(text(r, 4)).withResource(text(r, 5))
                        .withSubresource(text(r, 6)).withName(text(r, 7)).build());
            }
            if (spec.containsKey(2)) {
                Map<Integer, ByteString> n = fields(spec.get(2));
                readSpec.setNonResourceAttributes(new NonResourceAttributesBuilder().withPath(text(n, 1))
                        .withVerb(text(n, 2)).build());
            }
            return new SelfSubjectAccessReviewBuilder().withNewMetadata().endMetadata().withSpec(readSpec).build();
        } catch (IOException e) {
            throw new ApiError(400, "BadRequest", "the protobuf body does not parse: " + e.getMessage(), null, null,
                    List.of());
        }
    }

    private static Map<Integer, ByteString> fields(ByteString message) throws IOException {
        return fields(message.newCodedInput());
    }

    /** The length-delimited fields of a message by number (the last of a repeated one); others are skipped. */
    private static Map<Integer, ByteString> fields(CodedInputStream in) throws IOException {
        Map<Integer, ByteString> fields = new HashMap<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                fields.put(WireFormat.getTagFieldNumber(tag), in.readBytes());
            } else {
                in.skipField(tag);
            }
        }
        return fields;
    }

    private static String text(Map<Integer, ByteString> fields, int number) {
        ByteString value = fields.get(number);
        return value == null ? null : value.toString(StandardCharsets.UTF_8);
    }
}
