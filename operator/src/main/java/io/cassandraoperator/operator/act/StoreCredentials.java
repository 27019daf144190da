package io.cassandraoperator.operator.act;

import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.agent.ObjectStoreAccess;
import io.cassandraoperator.api.backup.S3Target;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The store access an S3 target's credentials Secret gives, read live (not cached: the operator caches only the
 * Secrets of its Clusters) at the moment it is passed to the agents, or what is wrong with it in words that say what
 * to fix.
 */
public record StoreCredentials(ObjectStoreAccess access, String problem) {

    public static StoreCredentials read(KubernetesClient client, String namespace, S3Target s3) {
        String name = s3.getCredentialsSecret();
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            return new StoreCredentials(null, "Secret " + name + " (spec.target.s3.credentialsSecret) does not exist in namespace "
                    + namespace + ": create it with the keys " + Contract.BackupCredentials.ACCESS_KEY_ID + " and "
                    + Contract.BackupCredentials.SECRET_ACCESS_KEY);
        }
        Optional<String> accessKeyId = value(secret, Contract.BackupCredentials.ACCESS_KEY_ID);
        Optional<String> secretAccessKey = value(secret, Contract.BackupCredentials.SECRET_ACCESS_KEY);
        if (accessKeyId.isEmpty() || secretAccessKey.isEmpty()) {
            return new StoreCredentials(null, "Secret " + name + " lacks the key "
                    + (accessKeyId.isEmpty() ? Contract.BackupCredentials.ACCESS_KEY_ID : Contract.BackupCredentials.SECRET_ACCESS_KEY)
                    + ": it needs " + Contract.BackupCredentials.ACCESS_KEY_ID + " and " + Contract.BackupCredentials.SECRET_ACCESS_KEY);
        }
        return new StoreCredentials(new ObjectStoreAccess(s3.getEndpoint(), s3.getBucket(),
                s3.getRegion() == null ? S3Target.DEFAULT_REGION : s3.getRegion(), Boolean.TRUE.equals(s3.getPathStyle()),
                accessKeyId.get(), secretAccessKey.get()), null);
    }

    private static Optional<String> value(Secret secret, String key) {
        if (secret.getData() != null && secret.getData().get(key) != null) {
            return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8))
                    .filter(v -> !v.isBlank());
        }
        return secret.getStringData() == null ? Optional.empty()
                : Optional.ofNullable(secret.getStringData().get(key)).filter(v -> !v.isBlank());
    }
}
